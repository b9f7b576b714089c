// swift-tools-version:6.0
// Tarn's benchmarks: a package apart from the library (built in release, never part
// of the test suite). Each executable runs Tarn and its peers on the same data in one
// run and prints the ratios. `bash Benchmarks/run.sh` runs them all.
import PackageDescription

let package = Package(
    name: "TarnBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
    ],
    targets: [
        .target(name: "BenchmarkSupport", path: "Sources/BenchmarkSupport"),
        .executableTarget(
            name: "ParquetBenchmark",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "TarnIO", package: "main"),
                .product(name: "TarnParquet", package: "main"),
                .product(name: "TarnColumnar", package: "main"),
            ],
            path: "Sources/ParquetBenchmark"
        ),
        .executableTarget(
            name: "DeltaBenchmark",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "TarnTables", package: "main"),
                .product(name: "TarnLog", package: "main"),
                .product(name: "TarnIO", package: "main"),
                .product(name: "TarnColumnar", package: "main"),
                .product(name: "TarnParquet", package: "main"),
            ],
            path: "Sources/DeltaBenchmark"
        ),
        .executableTarget(
            name: "SQLBenchmark",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "TarnSQL", package: "main"),
                .product(name: "TarnTables", package: "main"),
                .product(name: "TarnLog", package: "main"),
                .product(name: "TarnIO", package: "main"),
                .product(name: "TarnColumnar", package: "main"),
                .product(name: "TarnParquet", package: "main"),
            ],
            path: "Sources/SQLBenchmark"
        ),
        .executableTarget(
            name: "OperationsBenchmark",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "TarnTables", package: "main"),
                .product(name: "TarnLog", package: "main"),
                .product(name: "TarnIO", package: "main"),
                .product(name: "TarnColumnar", package: "main"),
                .product(name: "TarnParquet", package: "main"),
            ],
            path: "Sources/OperationsBenchmark"
        ),
        .executableTarget(
            name: "FeatureBenchmark",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "TarnFeatures", package: "main"),
                .product(name: "TarnTables", package: "main"),
                .product(name: "TarnLog", package: "main"),
                .product(name: "TarnIO", package: "main"),
                .product(name: "TarnColumnar", package: "main"),
                .product(name: "TarnParquet", package: "main"),
            ],
            path: "Sources/FeatureBenchmark"
        ),
    ]
)
