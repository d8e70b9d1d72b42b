import ConvTourEngine
import Testing

/// SGD as torch.optim.SGD takes it: weight decay, momentum, and its rounding.
@Suite("SGD with momentum and weight decay")
struct FastSGDTests {
  @Test("two steps by hand: d = g + λW, v = μv + d, W ← W − ηv")
  func byHand() throws {
    var sgd = FastSGD(learningRate: 0.1, momentum: 0.9, weightDecay: 0.1)
    var p = ["w": try Tensor32(shape: [1], values: [1])]
    let g = ["w": try Tensor32(shape: [1], values: [0.5])]
    try sgd.step(&p, gradients: g)
    // d = 0.5 + 0.1·1 = 0.6; v = d (first step); w = 1 − 0.1·0.6 = 0.94
    #expect(abs(p["w"]!.values[0] - 0.94) < 1e-6)
    try sgd.step(&p, gradients: g)
    // d = 0.5 + 0.1·0.94 = 0.594; v = 0.9·0.6 + 0.594 = 1.134; w = 0.94 − 0.1134 = 0.8266
    #expect(abs(p["w"]!.values[0] - 0.8266) < 1e-6)
    var plain = FastSGD(learningRate: 0.5)
    try plain.step(&p, gradients: g)
    #expect(abs(p["w"]!.values[0] - (0.8266 - 0.25)) < 1e-6)
  }

  /// torch.optim.SGD(lr=0.01, momentum=0.9, weight_decay=5e-4), three steps on 16 seeded values,
  /// as float32 bits (Fixtures/make_sgd_bits.py, PyTorch 2.13 on the CPU).
  static let w: [UInt32] = [
    0xBF90_1B85, 0xBF93_808A, 0xBE80_4BD6, 0xBEDE_255D, 0x3F59_4515, 0x3F31_2783, 0xBEA1_CC6D, 0xC007_5FC1,
    0x3EA5_0138, 0xBFA1_B4F4, 0x3EB3_30FF, 0x3E9D_C3BB, 0x3DF5_6F77, 0x3F9E_6B93, 0x3F8E_F28E, 0xBE7D_367C,
  ]
  static let g: [[UInt32]] = [
    [
      0xBFAD_23C2, 0xBFD9_1446, 0x3F11_1004, 0x3F4B_235D, 0x3F19_4D8B, 0xBFC7_0D5B, 0xBEAE_C6CA, 0x3FED_2F4E,
      0x3F40_0C6B, 0xBF15_E32B, 0xBE31_8EEB, 0x3E3B_E1A4, 0x3FB1_D6C0, 0x3FCB_0D00, 0x3F72_409C, 0xBF57_FB33,
    ],
    [
      0xBF1D_13C8, 0x3D01_6764, 0xBEFC_4028, 0x3E7E_6070, 0x3EE1_1FD0, 0x3DE6_37D6, 0x3F24_0AF8, 0x3EE1_DF3C,
      0xBDD1_87B9, 0x3F4A_DD9C, 0xBE94_4F53, 0x3D57_1217, 0x3F05_DA2F, 0x4013_5755, 0xBFBC_04B7, 0xBFCB_189E,
    ],
    [
      0xBF2C_4F9F, 0x3F5F_71DE, 0x3F87_15F4, 0x3E36_1CAA, 0xBE6B_DD10, 0xBEC8_9408, 0x3F0B_155D, 0xBECA_5217,
      0xBEE4_7694, 0x3F3E_7824, 0x3FC2_AF75, 0x405A_45AD, 0xBFC3_FDD9, 0xBF9D_F823, 0x3FE8_ECC2, 0xBF0D_30FC,
    ],
  ]
  static let out: [UInt32] = [
    0xBF89_0EC0, 0xBF8E_CF2A, 0xBE88_C401, 0xBEEC_7A13, 0x3F53_8F6D, 0x3F3C_64E0, 0xBEA6_12A7, 0xC00A_DE1B,
    0x3E9D_DEFE, 0xBFA2_8D09, 0x3EB0_9F6C, 0x3E89_3DE7, 0x3DB3_54D0, 0x3F94_E4D5, 0x3F8C_E771, 0xBE41_467D,
  ]

  @Test("three steps give PyTorch's float32 weights bit for bit")
  func pytorchBits() throws {
    func tensor(_ bits: [UInt32]) throws -> Tensor32 {
      try Tensor32(shape: [bits.count], values: bits.map(Float.init(bitPattern:)))
    }
    var sgd = FastSGD(learningRate: 0.01, momentum: 0.9, weightDecay: 5e-4)
    var p = ["w": try tensor(Self.w)]
    for g in Self.g { try sgd.step(&p, gradients: ["w": try tensor(g)]) }
    #expect(p["w"]!.values.map(\.bitPattern) == Self.out)
  }
}
