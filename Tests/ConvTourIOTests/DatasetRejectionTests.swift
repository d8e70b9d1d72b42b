import ConvTourEngine
import Foundation
import Testing

@testable import ConvTourIO

/// Every rejection issue 20 lists, each in its own fixture (make_dataset_fixtures.py) or built
/// here: one line naming the file and the problem, and no dataset returned.
@Suite("Datasets refused: one line naming the file and the problem")
struct DatasetRejectionTests {
  /// The message with the fixtures' folder left out.
  static func message(_ body: () throws -> Dataset) -> String {
    do {
      let dataset = try body()
      return "accepted: \(dataset.name)"
    } catch let error as DatasetError {
      #expect(!error.description.contains("\n"))
      return error.description.replacingOccurrences(of: DatasetFixtures.directory + "/", with: "")
    } catch {
      return "not a DatasetError: \(error)"
    }
  }

  @Test(
    "each broken dataset folder is refused with its own message",
    arguments: [
      ("reject-cifar-count", "reject-cifar-count/cifar-10-batches-py/data_batch_5", "3 labels for 2 images"),
      (
        "reject-cifar-dtype", "reject-cifar-dtype/cifar-10-batches-py/data_batch_2",
        "byte 178: numpy.dtype called with other than ('u1', 0, 1): only uint8 data"
      ),
      (
        "reject-cifar-global", "reject-cifar-global/cifar-10-batches-py/data_batch_3",
        "byte 2: global os.system is not allowed (a CIFAR-10 batch names only numpy arrays)"
      ),
      (
        "reject-cifar-key", "reject-cifar-key/cifar-10-batches-py/data_batch_1",
        "unexpected key 'coarse_labels': not CIFAR-10's layout (batch_label, labels, data, filenames)"
      ),
      (
        "reject-cifar-label-range", "reject-cifar-label-range/cifar-10-batches-py/test_batch",
        "label 10 at index 1 is out of range 0–9"
      ),
      (
        "reject-cifar-meta", "reject-cifar-meta/cifar-10-batches-py/batches.meta",
        "9 class names; CIFAR-10 has 10"
      ),
      (
        "reject-cifar-missing", "reject-cifar-missing/cifar-10-batches-py/data_batch_3",
        "cannot read: no such file"
      ),
      (
        "reject-cifar-missing-key", "reject-cifar-missing-key/cifar-10-batches-py/test_batch",
        "no 'labels': not CIFAR-10's layout (batch_label, labels, data, filenames)"
      ),
      (
        "reject-cifar-module", "reject-cifar-module/cifar-10-batches-py/data_batch_2",
        "byte 70: global numpy.core.records._reconstruct is not allowed (a CIFAR-10 batch names only numpy arrays)"
      ),
      (
        "reject-cifar-protocol", "reject-cifar-protocol/cifar-10-batches-py/data_batch_1",
        "not a CIFAR-10 python batch: it does not start as a pickle of protocol 2"
      ),
      (
        "reject-cifar-shape", "reject-cifar-shape/cifar-10-batches-py/data_batch_1",
        "byte 6364: an array whose shape is not (N, 3072)"
      ),
      (
        "reject-cifar-trailing", "reject-cifar-trailing/cifar-10-batches-py/data_batch_4",
        "1 byte(s) follow the pickle's STOP at byte 3325"
      ),
      (
        "reject-cifar-truncated", "reject-cifar-truncated/cifar-10-batches-py/data_batch_4",
        "truncated: byte 207: an operand of 3072 bytes runs past the end (1451 left)"
      ),
      (
        "reject-cifarbin-label", "reject-cifarbin-label/cifar-10-batches-bin/test_batch.bin",
        "label 10 at index 0 is out of range 0–9"
      ),
      (
        "reject-cifarbin-meta", "reject-cifarbin-meta/cifar-10-batches-bin/batches.meta.txt",
        "3 class names; CIFAR-10 has 10"
      ),
      (
        "reject-cifarbin-truncated", "reject-cifarbin-truncated/cifar-10-batches-bin/data_batch_2.bin",
        "3068 bytes is not a whole number of 3,073-byte records (truncated, or not a CIFAR-10 binary batch)"
      ),
      (
        "reject-folder-bad-image", "reject-folder-bad-image/cat/fake.png",
        "unknown image format (first bytes 74 68 69 73): expected PNG, JPEG or binary PPM (P6)"
      ),
      (
        "reject-folder-bmp", "reject-folder-bmp/cat/a.bmp",
        "BMP is not supported: expected PNG, JPEG or binary PPM (P6)"
      ),
      (
        "reject-folder-empty-class", "reject-folder-empty-class/dog",
        "no image in this class folder (extensions: .jpg .jpeg .png .ppm .bmp .pgm .tif .tiff .webp)"
      ),
      (
        "reject-folder-none", "reject-folder-none",
        "no class folders: an image folder holds one folder per class"
      ),
      (
        "reject-idx-count", "reject-idx-count/MNIST/raw/t10k-labels-idx1-ubyte",
        "2 labels for the 3 images of reject-idx-count/MNIST/raw/t10k-images-idx3-ubyte"
      ),
      (
        "reject-idx-gz-absurd", "reject-idx-gz-absurd/MNIST/raw/train-images-idx3-ubyte.gz",
        "2147483647×28×28 bytes would need about 1605632 MB, over the limit of 4096 MB"
      ),
      (
        "reject-idx-gz-corrupt", "reject-idx-gz-corrupt/MNIST/raw/train-images-idx3-ubyte.gz",
        "the gzip data is corrupt (zlib: invalid distance code)"
      ),
      (
        "reject-idx-gz-truncated", "reject-idx-gz-truncated/MNIST/raw/train-images-idx3-ubyte.gz",
        "the gzip data is truncated or corrupt (zlib: unexpected end of file)"
      ),
      (
        "reject-idx-header", "reject-idx-header/MNIST/raw/train-labels-idx1-ubyte",
        "the file ends inside its header (6 bytes)"
      ),
      (
        "reject-idx-label-range", "reject-idx-label-range/MNIST/raw/train-labels-idx1-ubyte",
        "label 10 at index 2 is out of range 0–9"
      ),
      (
        "reject-idx-magic", "reject-idx-magic/MNIST/raw/train-images-idx3-ubyte",
        "not an IDX image file: magic number 0x00000801 (2049) (expected 0x00000803 (2051); it is an IDX label file)"
      ),
      (
        "reject-idx-magic-other", "reject-idx-magic-other/MNIST/raw/t10k-images-idx3-ubyte",
        "an IDX file of float32: only unsigned bytes (0x08) are read"
      ),
      (
        "reject-idx-missing", "reject-idx-missing/MNIST/raw",
        "train-images-idx3-ubyte is here but not t10k-labels-idx1-ubyte (nor .gz): an incomplete MNIST raw folder"
      ),
      (
        "reject-idx-size-mismatch", "reject-idx-size-mismatch/MNIST/raw/t10k-images-idx3-ubyte",
        "test images of 3×4 grey, training images of 4×3 grey"
      ),
      (
        "reject-idx-trailing", "reject-idx-trailing/MNIST/raw/t10k-labels-idx1-ubyte",
        "2 byte(s) follow the data: the header declares 3 (3 bytes)"
      ),
      (
        "reject-idx-truncated", "reject-idx-truncated/MNIST/raw/train-images-idx3-ubyte",
        "truncated: the header declares 5×4×3 bytes of data (60), the file holds 53"
      ),
      (
        "reject-idx-uncountable", "reject-idx-uncountable/MNIST/raw/train-images-idx3-ubyte",
        "dimensions 4294967295×65535×65535 are too large to count"
      ),
    ])
  func folder(_ fixture: String, _ file: String, _ problem: String) {
    #expect(Self.message { try DatasetSource.open(DatasetFixtures.path(fixture)) } == "\(file): \(problem)")
  }

  @Test(
    "each broken .npy pair is refused with its own message",
    arguments: [
      (
        "../pair/X.npy", "Y-count.npy", "reject-pair/Y-count.npy",
        "6 labels for the 7 images of reject-pair/../pair/X.npy"
      ),
      (
        "../pair/X.npy", "Y-float.npy", "reject-pair/Y-float.npy",
        "dtype '<f8' (float64) is not supported: only int64 ('<i8')"
      ),
      (
        "../pair/X.npy", "Y-negative.npy", "reject-pair/Y-negative.npy",
        "label -1 at index 3 is out of range (0 to 1,048,575)"
      ),
      (
        "../pair/X.npy", "Y-2d.npy", "reject-pair/Y-2d.npy",
        "labels of shape [7, 1]: expected [N], one label an image"
      ),
      (
        "X-3d.npy", "../pair/Y.npy", "reject-pair/X-3d.npy",
        "images of shape [7, 4, 4]: expected float32 [N, C, H, W] with C = 1 or 3"
      ),
      (
        "X-channels.npy", "../pair/Y.npy", "reject-pair/X-channels.npy",
        "images of shape [7, 2, 4, 4]: expected float32 [N, C, H, W] with C = 1 or 3"
      ),
      (
        "X-truncated.npy", "../pair/Y.npy", "reject-pair/X-truncated.npy",
        "the data is truncated: shape (7, 1, 4, 4) of float32 needs 448 bytes, the file holds 439"
      ),
    ])
  func pair(_ images: String, _ labels: String, _ file: String, _ problem: String) {
    let folder = DatasetFixtures.path("reject-pair")
    let message = Self.message {
      try DatasetSource.open(images: folder + "/" + images, labels: folder + "/" + labels)
    }
    #expect(message == "\(file): \(problem)")
  }

  @Test("a .npy pair's images of another size than the network's input")
  func pairSize() throws {
    let dataset = try DatasetSource.open(
      images: DatasetFixtures.path("pair/X.npy"), labels: DatasetFixtures.path("pair/Y.npy"))
    #expect(
      throws: DatasetError(
        file: DatasetFixtures.path("pair/X.npy"),
        problem: "images of [1, 4, 4] for a network whose input is [1, 5, 4]: "
          + "a .npy pair is used as it is, so its images must be of the input's size")
    ) {
      try dataset.prepared(dataset.train, for: [1, 5, 4], normalisation: .mnist)
    }
    #expect(
      throws: DatasetError(
        file: DatasetFixtures.path("pair/X.npy"),
        problem: "a network input of [2, 4, 4]: expected [C, H, W] with C = 1 or 3")
    ) {
      try dataset.prepared(dataset.train, for: [2, 4, 4], normalisation: .mnist)
    }
  }

  @Test("a path that is no dataset")
  func notADataset() throws {
    #expect(
      Self.message { try DatasetSource.open(DatasetFixtures.path("nowhere")) }
        == "nowhere: no such file or folder")
    #expect(
      Self.message { try DatasetSource.open(DatasetFixtures.path("expected.json")) }
        == "expected.json: not a folder: a dataset is `digits`, a folder, or a .npy pair (--images X.npy --labels-file Y.npy)"
    )
    #expect(
      Self.message { try DatasetSource.open(images: "/dev/zero", labels: DatasetFixtures.path("pair/Y.npy")) }
        == "/dev/zero: cannot read: is a character device, not a regular file")
  }

  @Test("a budget too small: refused with the estimate, before reading")
  func budget() {
    #expect(
      Self.message { try DatasetSource.open(DatasetFixtures.path("mnist"), budget: DatasetBudget(bytes: 40)) }
        == "mnist/MNIST/raw/train-images-idx3-ubyte: 5×4×3 bytes would need about 60 bytes, over the limit of 40 bytes"
    )
    #expect(
      Self.message {
        try DatasetSource.open(DatasetFixtures.path("cifar-bin"), budget: DatasetBudget(bytes: 1000))
      }
        == "cifar-bin/cifar-10-batches-bin: the six batches (33803 bytes) would need about 33803 bytes, over the limit of 1000 bytes"
    )
  }

  /// A CIFAR-10 batch pickle through the restricted machine; the problem, or nil.
  static func unpickle(_ bytes: [UInt8]) -> String? {
    var machine = PickleMachine(bytes: bytes, client: CIFARPickle(bytes: bytes))
    do {
      _ = try machine.load()
      return nil
    } catch let error as PickleError {
      return "byte \(error.offset): \(error.problem)"
    } catch {
      return "\(error)"
    }
  }

  @Test("the restricted pickle reader: anything but CIFAR-10's layout is refused, nothing is called")
  func pickle() {
    let proto: [UInt8] = [0x80, 0x02]
    #expect(
      Self.unpickle(proto + Array("cposix\nsystem\n".utf8))
        == "byte 2: global posix.system is not allowed (a CIFAR-10 batch names only numpy arrays)")
    #expect(
      Self.unpickle(proto + [0x93]) == "byte 2: opcode STACK_GLOBAL (0x93) is not one a CIFAR-10 batch uses")
    #expect(
      Self.unpickle(proto + Array("cnumpy\ndtype\nK\u{01}".utf8) + [0x85] + Array("R.".utf8))
        == "byte 18: numpy.dtype called with other than ('u1', 0, 1): only uint8 data")
    #expect(
      Self.unpickle(
        proto + Array("c_codecs\nencode\nX\u{01}\u{00}\u{00}\u{00}aX\u{05}\u{00}\u{00}\u{00}utf-8".utf8) + [
          0x86
        ]
          + Array("R.".utf8))
        == "byte 35: _codecs.encode called with other than (text, 'latin1')")
    // BUILD on a plain value, and persistent ids, are refused too.
    #expect(
      Self.unpickle(proto + Array("K\u{01}K\u{02}b.".utf8))
        == "byte 6: BUILD on the integer 1: only a numpy array or its dtype")
    #expect(
      Self.unpickle(proto + Array("K\u{01}Q.".utf8)) == "byte 4: a persistent id: not in a CIFAR-10 batch")
  }
}
