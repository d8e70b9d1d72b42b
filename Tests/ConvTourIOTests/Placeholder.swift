import Testing

@testable import ConvTourIO
