"""The Open Inference Protocol's gRPC definition; the *_pb2*.py stubs are generated from it (make proto)."""
