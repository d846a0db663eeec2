/*
 * fuzz.h: what the harnesses share. Each fuzz-NAME.c defines
 * LLVMFuzzerTestOneInput; built with clang -fsanitize=fuzzer by
 * `make fuzz SECONDS=N`, or with replay.c (a tiny main that feeds files
 * to it) by the normal compiler for `make test`, which replays the seeds
 * in tests/fuzz/corpus/NAME/ and any crasher in tests/fuzz/crashers/NAME/.
 */
#ifndef THIDUA_FUZZ_H
#define THIDUA_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#endif /* THIDUA_FUZZ_H */
