/*
 * fuzz: what every fuzz target in tests/fuzz/ defines. Each fuzz_NAME.c is one libFuzzer entry
 * point built two ways: with clang -fsanitize=fuzzer (make fuzz, make fuzz-run), and with the
 * ordinary compiler linked to replay.c (make test reruns every saved input).
 *
 * A target calls abort() when an invariant of the code under test does not hold, so libFuzzer
 * saves the input and replay fails; sanitizers report memory errors and leaks on their own.
 */
#ifndef TIFA_FUZZ_H
#define TIFA_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/** Runs one input; returns 0 (libFuzzer ignores other values). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
