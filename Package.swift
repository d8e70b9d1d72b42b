// swift-tools-version:6.0
// ConvTour: step through forward and backward propagation of convolutional networks.
import PackageDescription

let package = Package(
  name: "ConvTour",
  products: [
    .executable(name: "convtour", targets: ["convtour"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
  ],
  targets: [
    // OpenBLAS's CBLAS interface (Debian: libopenblas-dev), for the fast path's matrix products.
    .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS"),
    // Tensors and ops: forward, backward and explanation. Knows nothing of files, text or terminals.
    // Release builds of it use AVX2 and FMA (`-target-cpu haswell`: every x86-64 processor since
    // 2013, and every machine ConvTour runs on has them): its own loops (im2col, ReLU, close
    // calls, max-pool, col2im) are about a fifth of VGG-16's time beside OpenBLAS's, and run
    // measurably faster. `convtour` checks the processor before any of it runs.
    // The small-filter convolution kernels again, sixteen lanes wide, compiled for AVX-512 (Skylake-X's
    // set, which AMD's Zen 4 and 5 have too): the engine calls them only on such a processor, when
    // the command line says so (`FastPath.wideVectors`), and they give the same bits as its own.
    .target(
      name: "ConvTourWideKernels",
      swiftSettings: [.unsafeFlags(["-target-cpu", "skylake-avx512"])]),
    .target(
      name: "ConvTourEngine", dependencies: ["COpenBLAS", "ConvTourWideKernels"],
      swiftSettings: [.unsafeFlags(["-target-cpu", "haswell"], .when(configuration: .release))]),
    // Lessons: the file format, the interpreter (runs steps on the reference path), the checks.
    .target(name: "ConvTourLessons", dependencies: ["ConvTourEngine"]),
    // ncursesw (Debian: libncursesw5-dev), for the terminal tour.
    .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
    // libpng and TurboJPEG (Debian: libpng-dev, libturbojpeg0-dev), for reading images.
    .systemLibrary(name: "CPNG", path: "Sources/CPNG"),
    .systemLibrary(name: "CJPEG", path: "Sources/CJPEG"),
    // libzip (Debian: libzip-dev), for torch.save's zip files (.pth written since PyTorch 1.6).
    .systemLibrary(name: "CZip", path: "Sources/CZip"),
    // zlib (Debian: zlib1g-dev), for MNIST's .gz files.
    .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
    // File formats at the edge: safetensors, torch.save's .pth, .npy, images, datasets. Used by the
    // command line only.
    .target(name: "ConvTourIO", dependencies: ["ConvTourEngine", "CPNG", "CJPEG", "CZip", "CZlib"]),
    // Presentation: traces and reports as text and JSON, and screens as grids of cells.
    .target(name: "ConvTourPresentation", dependencies: ["ConvTourEngine", "ConvTourLessons"]),
    // glibc's mallopt, for keeping freed memory between the layers and runs of VGG-16.
    .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
    // The command line.
    .executableTarget(
      name: "convtour",
      dependencies: [
        "ConvTourEngine",
        "ConvTourLessons",
        "ConvTourPresentation",
        "ConvTourIO",
        "CNcurses",
        "CMalloc",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      // The 1000 ImageNet class names in torchvision's order, one a line, compiled into the binary.
      resources: [.embedInCode("Resources/imagenet_classes.txt")]
    ),
    // Fuzz targets for every parser and decoder: a corpus replayer in a normal build, libFuzzer's
    // entry point with -sanitize=fuzzer -DFUZZING (`make fuzz TARGET=… SECONDS=…`).
    .executableTarget(
      name: "convtour-fuzz",
      dependencies: ["ConvTourEngine", "ConvTourLessons", "ConvTourPresentation", "ConvTourIO"]),
    .testTarget(name: "ConvTourEngineTests", dependencies: ["ConvTourEngine"], exclude: ["Fixtures"]),
    .testTarget(name: "ConvTourLessonsTests", dependencies: ["ConvTourLessons"]),
    .testTarget(
      name: "ConvTourPresentationTests", dependencies: ["ConvTourPresentation", "ConvTourLessons"]),
    .testTarget(name: "ConvTourIOTests", dependencies: ["ConvTourIO"], exclude: ["Fixtures"]),
    .testTarget(name: "ConvTourCLITests", dependencies: ["convtour"], exclude: ["Golden"]),
  ]
)
