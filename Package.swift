// swift-tools-version:6.0
// Tarn: a versioned lakehouse storage engine (Delta Lake over Parquet).
// Layers and their import direction are described in ../shared/DESIGN.md:
// every target below depends only on targets listed before it.
import PackageDescription

let package = Package(
    name: "Tarn",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tarn", targets: ["tarn"]),
        .library(name: "TarnColumnar", targets: ["TarnColumnar"]),
        .library(name: "TarnParquet", targets: ["TarnParquet"]),
        .library(name: "TarnIO", targets: ["TarnIO"]),
        .library(name: "TarnLog", targets: ["TarnLog"]),
        .library(name: "TarnTables", targets: ["TarnTables"]),
        .library(name: "TarnExpression", targets: ["TarnExpression"]),
        .library(name: "TarnSQL", targets: ["TarnSQL"]),
        .library(name: "TarnFeatures", targets: ["TarnFeatures"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System library shim: libzstd from Debian's libzstd-dev.
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]
        ),
        // System library shim: SQLite from Debian's libsqlite3-dev (online feature store only).
        .systemLibrary(
            name: "CSQLite",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // In-memory columns, schema, kernels, CSV. No IO beyond bytes handed in.
        .target(name: "TarnColumnar", linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]),
        // Parquet file format: bytes in, batches out.
        .target(name: "TarnParquet", dependencies: ["TarnColumnar", "CZstd"]),
        // The IO boundary: FileStore and the local implementation.
        .target(name: "TarnIO"),
        // Delta transaction log.
        .target(name: "TarnLog", dependencies: ["TarnColumnar", "TarnParquet", "TarnIO"]),
        // The SQL expression language: lexer, expression syntax, binding and typing,
        // vectorized evaluation. Shared by CHECK constraints, SQL and feature functions.
        .target(name: "TarnExpression", dependencies: ["TarnColumnar"]),
        // Tables, the catalog, operations and access control.
        .target(name: "TarnTables", dependencies: ["TarnColumnar", "TarnParquet", "TarnIO", "TarnLog", "TarnExpression"]),
        // SQL statements: parser, planner, vectorized executor, statement execution.
        .target(name: "TarnSQL", dependencies: ["TarnColumnar", "TarnParquet", "TarnIO", "TarnLog", "TarnExpression", "TarnTables"]),
        // Feature store: feature tables, training sets, SQLite online store.
        .target(name: "TarnFeatures", dependencies: ["TarnColumnar", "TarnParquet", "TarnIO", "TarnLog", "TarnExpression", "TarnTables", "CSQLite"]),
        // Test-only stores and helpers.
        .target(name: "TarnTestSupport", dependencies: ["TarnIO", "TarnColumnar"]),
        .executableTarget(
            name: "tarn",
            dependencies: [
                "TarnColumnar", "TarnParquet", "TarnIO", "TarnLog", "TarnTables",
                "TarnExpression", "TarnSQL", "TarnFeatures",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "TarnColumnarTests", dependencies: ["TarnColumnar"]),
        .testTarget(name: "TarnParquetTests", dependencies: ["TarnParquet", "TarnColumnar"]),
        .testTarget(name: "TarnIOTests", dependencies: ["TarnIO", "TarnTestSupport"]),
        .testTarget(name: "TarnLogTests", dependencies: ["TarnLog", "TarnIO", "TarnTestSupport", "TarnColumnar", "TarnParquet"]),
        .testTarget(name: "TarnTablesTests", dependencies: ["TarnTables", "TarnLog", "TarnIO", "TarnTestSupport", "TarnColumnar"]),
        .testTarget(name: "TarnExpressionTests", dependencies: ["TarnExpression", "TarnColumnar"]),
        .testTarget(name: "TarnSQLTests", dependencies: ["TarnSQL", "TarnExpression", "TarnTables", "TarnLog", "TarnIO", "TarnTestSupport", "TarnColumnar"]),
        .testTarget(name: "TarnFeaturesTests", dependencies: ["TarnFeatures", "TarnTables", "TarnLog", "TarnIO", "TarnTestSupport", "TarnColumnar"]),
        // Interop with the real peers (pyarrow, duckdb, deltalake) through a Python venv.
        .testTarget(name: "TarnInteropTests", dependencies: ["TarnParquet", "TarnColumnar", "TarnTables", "TarnLog", "TarnIO", "TarnTestSupport", "TarnSQL", "TarnFeatures"]),
        // The CLI through the real executable.
        .testTarget(name: "TarnCLITests", dependencies: ["TarnTestSupport"]),
    ]
)
