// AccessStore: the access state of one lakehouse — bootstrap (its first user becomes
// the first admin), the state refreshed at every check (the system tables' snapshots
// are advanced, decoded rows cached per version), time travel of the state, and the
// audit of denials. Must never cache a decision beyond the versions it was made at.
import Foundation
import TarnColumnar
import TarnIO
import TarnLog

/// A value guarded by a lock.
final class AccessLock<State>: @unchecked Sendable {
    // SAFETY (@unchecked Sendable): `state` is private and touched only inside `withLock`,
    // which holds `lock` for the whole access.
    private let lock = NSLock()
    private var state: State

    init(_ state: State) { self.state = state }

    func withLock<R>(_ body: (inout State) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state)
    }
}

/// Who is acting: the principal, and the admin who acts as it (`--as`), if any.
public struct Caller: Sendable, Hashable {
    public var principal: Principal
    public var impersonatedBy: String?

    public init(_ principal: Principal, impersonatedBy: String? = nil) {
        self.principal = principal
        self.impersonatedBy = impersonatedBy
    }
}

final class AccessStore: Sendable {
    let store: any FileStore
    let principals: SystemTableHandle
    let memberships: SystemTableHandle
    let grants: SystemTableHandle
    let tokens: SystemTableHandle
    let audit: SystemTableHandle

    fileprivate struct Cached {
        var versions: [Int64]
        var state: AccessState
    }

    private let cache = AccessLock<Cached?>(nil)
    private let bootstrapped = AccessLock(false)
    private let pendingAudit = AccessLock<[SystemRow]>([])
    private let auditFlush = NSLock()

    init(store: any FileStore) {
        self.store = store
        principals = SystemTableHandle(.principals, store: store)
        memberships = SystemTableHandle(.memberships, store: store)
        grants = SystemTableHandle(.grants, store: store)
        tokens = SystemTableHandle(.tokens, store: store)
        audit = SystemTableHandle(.audit, store: store)
    }

    // MARK: State

    /// Makes sure the lakehouse has its system tables and a first admin: when
    /// `_system.principals` does not exist, `first` becomes a user and a member of
    /// `admins`. Cheap once done (remembered per store).
    func bootstrap(as first: Principal) throws(TableError) {
        if bootstrapped.withLock({ $0 }) { return }
        if try principals.exists(), try memberships.exists(), try grants.exists() {
            bootstrapped.withLock { $0 = true }
            return
        }
        try PrincipalName.validate(first.name)
        for table in [principals, memberships, grants, tokens, audit] { try table.create() }
        let now = Clock.nowMicros()
        let parameters = ["principal": first.name, "by": first.name, "reason": "first user of the lakehouse"]
        try principals.rewrite(operation: "CREATE PRINCIPAL", parameters: parameters) { (rows) throws(TableError) -> [SystemRow]? in
            guard rows.isEmpty else { return nil }
            return [
                [.string(first.name), .string(PrincipalKind.user.rawValue), .string(first.name), .time(now)],
                [.string(BuiltinGroup.admins), .string(PrincipalKind.group.rawValue), .string(first.name), .time(now)],
            ]
        }
        // The first admin is whoever's principal row won the race above.
        let existing = Set(try principals.rows(try principals.latest()).map { $0[0].text })
        guard existing.contains(first.name) else {
            bootstrapped.withLock { $0 = true }
            return
        }
        try memberships.rewrite(operation: "ADD MEMBER", parameters: ["group": BuiltinGroup.admins, "member": first.name, "by": first.name]) { (rows) throws(TableError) -> [SystemRow]? in
            guard !rows.contains(where: { $0[0].text == BuiltinGroup.admins }) else { return nil }
            return rows + [[.string(BuiltinGroup.admins), .string(first.name), .string(first.name), .time(now)]]
        }
        bootstrapped.withLock { $0 = true }
    }

    /// The current state: the three tables' snapshots are advanced (a listing each), rows
    /// are decoded again only when a version changed.
    func current(bootstrapAs first: Principal) throws(TableError) -> AccessState {
        try bootstrap(as: first)
        let snapshots = [try principals.latest(), try memberships.latest(), try grants.latest()]
        let versions = snapshots.map { $0?.version ?? -1 }
        if let cached = cache.withLock({ $0 }), cached.versions == versions { return cached.state }
        // Tables are identified by their metadata ids (a UUID per creation), so catalogs of
        // one lakehouse share decoded states across instances without re-reading data files.
        let key = snapshots.map { $0?.metadata.id ?? "-" }.joined(separator: "|")
        if let shared = AccessStore.sharedStates.withLock({ $0[key] }), shared.versions == versions {
            cache.withLock { $0 = shared }
            return shared.state
        }
        let state = try decode(principals: snapshots[0], memberships: snapshots[1], grants: snapshots[2])
        let entry = Cached(versions: versions, state: state)
        cache.withLock { $0 = entry }
        AccessStore.sharedStates.withLock { states in
            if states.count >= 64 { states.removeAll() }
            states[key] = entry
        }
        return state
    }

    /// Decoded states by the system tables' metadata ids, process-wide (bounded).
    private static let sharedStates = AccessLock<[String: Cached]>([:])

    /// The state as of `micros` (µs since the epoch): each table at its latest commit at
    /// or before that instant; a table that did not exist yet is empty.
    func state(asOfMicros micros: Int64) throws(TableError) -> AccessState {
        try decode(principals: try principals.snapshot(asOfMicros: micros),
                   memberships: try memberships.snapshot(asOfMicros: micros),
                   grants: try grants.snapshot(asOfMicros: micros))
    }

    private func decode(principals p: Snapshot?, memberships m: Snapshot?, grants g: Snapshot?) throws(TableError) -> AccessState {
        let principalRows = try principals.rows(p).compactMap { row -> PrincipalRecord? in
            guard let kind = PrincipalKind(rawValue: row[1].text) else { return nil }
            return PrincipalRecord(name: row[0].text, kind: kind, createdBy: row[2].text, createdAt: row[3].micros ?? 0)
        }
        let membershipRows = try memberships.rows(m).map {
            MembershipRecord(group: $0[0].text, member: $0[1].text, addedBy: $0[2].text, addedAt: $0[3].micros ?? 0)
        }
        let grantRows = try grants.rows(g).map {
            GrantRecord(principal: $0[0].text, privilege: $0[1].text,
                        securable: Securable(uncheckedKind: SecurableKind($0[2].text), name: $0[3].text),
                        grantedBy: $0[4].text, grantedAt: $0[5].micros ?? 0)
        }
        return AccessState(principals: principalRows, memberships: membershipRows, grants: grantRows)
    }

    // MARK: Checks

    /// Refuses unless `caller` holds `privilege` on `securable` now; a refusal is
    /// appended to `_system.audit` before it is thrown.
    func check(_ caller: Caller, _ privilege: Privilege, on securable: Securable, action: String) throws(TableError) {
        try checkAny(caller, [privilege], on: securable, action: action)
    }

    /// Refuses unless `caller` holds at least one of `privileges` on `securable`.
    func checkAny(_ caller: Caller, _ privileges: [Privilege], on securable: Securable, action: String) throws(TableError) {
        try PrincipalName.validate(caller.principal.name)
        let state = try current(bootstrapAs: caller.principal)
        if privileges.contains(where: { state.allows(caller.principal.name, $0, on: securable) }) { return }
        throw deny(caller, privileges.map(\.rawValue).joined(separator: " or "), on: securable, action: action)
    }

    /// Records a denial in the audit table and returns the error to throw.
    func deny(_ caller: Caller, _ privilege: String, on securable: Securable, action: String) -> TableError {
        let denial = AccessDenied(principal: caller.principal.name, privilege: privilege, securable: securable, action: action)
        var refusal = denial.tableError
        do {
            try recordAudit(caller, action: action, privilege: privilege, securable: securable,
                            outcome: "DENIED", reason: denial.description)
        } catch {
            refusal.message += " (the denial could not be written to _system.audit: \(error))"
        }
        return refusal
    }

    // MARK: Audit

    /// Appends one audit row, durably, batching with rows other threads are adding at the
    /// same moment (group commit: whoever holds the flush lock commits every pending row).
    func recordAudit(_ caller: Caller, action: String, privilege: String, securable: Securable,
                     outcome: String, reason: String) throws(TableError) {
        let row: SystemRow = [
            .time(Clock.nowMicros()), .string(caller.principal.name), caller.impersonatedBy.map { .string($0) } ?? .null,
            .string(action), .string(privilege), .string(securable.kind.rawValue), .string(securable.name),
            .string(outcome), .string(reason),
        ]
        pendingAudit.withLock { $0.append(row) }
        auditFlush.lock()
        defer { auditFlush.unlock() }
        let batch = pendingAudit.withLock { pending -> [SystemRow] in
            defer { pending = [] }
            return pending
        }
        guard !batch.isEmpty else { return }  // a concurrent flush committed our row
        do {
            try audit.append(batch, operation: "AUDIT", parameters: ["rows": String(batch.count)])
        } catch {
            pendingAudit.withLock { $0.insert(contentsOf: batch, at: 0) }
            throw error
        }
    }
}
