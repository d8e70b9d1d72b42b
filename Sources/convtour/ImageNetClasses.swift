import ConvTourEngine

// The 1000 ImageNet class names in the standard index order (torchvision's), from
// Resources/imagenet_classes.txt, which SwiftPM embeds in the binary (`.embedInCode`).
enum ImageNetClasses {
  static let names: [String] = {
    let text = String(decoding: PackageResources.imagenet_classes_txt, as: UTF8.self)
    return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
  }()
}

extension ImageNetClasses {
  /// The class names of `network`'s outputs: ImageNet's for the VGGs' 1000 classes, else the
  /// class numbers themselves (0, 1, … — the digits, for a network of digits).
  static func names(for network: NetworkArchitecture) -> [String] {
    network.normalisation == .imageNet && network.classes == names.count
      ? names : (0..<network.classes).map(String.init)
  }
}
