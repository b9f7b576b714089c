// AllocatorPolicy: the process-wide malloc setting Tarn's executables (the `tarn` CLI,
// the benchmarks) choose at startup. Owns only that one switch; must never be called
// from library code on behalf of an embedding process — the process owner decides.
//
// Why: a scan decodes each row group into fresh column buffers of megabytes and frees
// them a moment later. With glibc's defaults those buffers are mmap'ed or trimmed back
// to the kernel on free, so every row group pays page faults and zero-filling again
// (measured: 550k minor faults for 30 GROUP BY queries over 2M rows, a third of the
// time). Raising the mmap threshold to its maximum and the trim threshold far above it
// keeps freed buffers in the heap for the next row group (32k faults, ~30% faster). The
// cost is that a process keeps its peak heap until exit — what jemalloc-style allocators
// used by other engines do anyway.

#if canImport(Glibc)
import Glibc
#endif

public enum AllocatorPolicy {
    /// Largest mmap threshold glibc accepts (HEAP_MAX_SIZE / 2 on 64-bit).
    static let mmapThreshold: Int32 = 32 << 20
    /// Free memory at the top of a heap kept before it is returned to the kernel.
    static let trimThreshold: Int32 = 1 << 30

    /// Keeps large freed buffers in the process for reuse. Returns false when the C
    /// library has no `mallopt` (not glibc) or refused a setting; harmless either way.
    @discardableResult
    public static func retainFreedBuffers() -> Bool {
        #if canImport(Glibc)
        // glibc's <malloc.h> is not part of the Glibc module map, so mallopt is looked up
        // by name. The option numbers are glibc's stable ABI values.
        let mmapThresholdOption: Int32 = -3  // M_MMAP_THRESHOLD
        let trimThresholdOption: Int32 = -1  // M_TRIM_THRESHOLD
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return false }
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        // SAFETY: `mallopt` has had this C signature (int mallopt(int, int)) in every glibc;
        // RTLD_DEFAULT (a null handle) resolves it in the process's own C library.
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let mmapSet = mallopt(mmapThresholdOption, mmapThreshold) == 1
        let trimSet = mallopt(trimThresholdOption, trimThreshold) == 1
        return mmapSet && trimSet
        #else
        return false
        #endif
    }
}
