// The 1000 ImageNet class names in the standard index order (torchvision's), from
// Resources/imagenet_classes.txt, which SwiftPM embeds in the binary (`.embedInCode`).
enum ImageNetClasses {
  static let names: [String] = {
    let text = String(decoding: PackageResources.imagenet_classes_txt, as: UTF8.self)
    return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
  }()
}
