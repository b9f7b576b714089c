// swift-tools-version:6.0
// Tarn's benchmarks: a package apart from the library (built in release, never part
// of the test suite). Each executable runs Tarn and its peers on the same data in one
// run and prints the ratios. `bash Benchmarks/run.sh` runs them all.
import PackageDescription

let package = Package(
    name: "TarnBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // `tarn` is a symlink to the repository root (`..`): SwiftPM names a path
        // dependency after its folder, so this keeps the name `tarn` whatever folder the
        // repository was cloned into.
        .package(path: "tarn"),
    ],
    targets: [
        .target(name: "BenchmarkSupport", path: "Sources/BenchmarkSupport"),
        .executableTarget(
            name: "ParquetBenchmark",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "TarnIO", package: "tarn"),
                .product(name: "TarnParquet", package: "tarn"),
                .product(name: "TarnColumnar", package: "tarn"),
            ],
            path: "Sources/ParquetBenchmark"
        ),
        .executableTarget(
            name: "DeltaBenchmark",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "TarnTables", package: "tarn"),
                .product(name: "TarnLog", package: "tarn"),
                .product(name: "TarnIO", package: "tarn"),
                .product(name: "TarnColumnar", package: "tarn"),
                .product(name: "TarnParquet", package: "tarn"),
            ],
            path: "Sources/DeltaBenchmark"
        ),
        .executableTarget(
            name: "SQLBenchmark",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "TarnSQL", package: "tarn"),
                .product(name: "TarnTables", package: "tarn"),
                .product(name: "TarnLog", package: "tarn"),
                .product(name: "TarnIO", package: "tarn"),
                .product(name: "TarnColumnar", package: "tarn"),
                .product(name: "TarnParquet", package: "tarn"),
            ],
            path: "Sources/SQLBenchmark"
        ),
        .executableTarget(
            name: "OperationsBenchmark",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "TarnTables", package: "tarn"),
                .product(name: "TarnLog", package: "tarn"),
                .product(name: "TarnIO", package: "tarn"),
                .product(name: "TarnColumnar", package: "tarn"),
                .product(name: "TarnParquet", package: "tarn"),
            ],
            path: "Sources/OperationsBenchmark"
        ),
        .executableTarget(
            name: "FeatureBenchmark",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "TarnFeatures", package: "tarn"),
                .product(name: "TarnTables", package: "tarn"),
                .product(name: "TarnLog", package: "tarn"),
                .product(name: "TarnIO", package: "tarn"),
                .product(name: "TarnColumnar", package: "tarn"),
                .product(name: "TarnParquet", package: "tarn"),
            ],
            path: "Sources/FeatureBenchmark"
        ),
    ]
)
