/* scn_match.h: how an expectation's wanted value is compared with what was
 * observed (docs/spec/SCENARIO.md "Durations and numbers"), and the one-line failure
 * message. Pure functions, shared by the runner's evaluator and the tests.
 */
#ifndef GTX_SCN_MATCH_H
#define GTX_SCN_MATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "gtx/scenario.h"

/* A bare number v matches x when |x - v| <= max(0.5 % of |v|, 0.01).
 * NaN never matches. */
bool scn_match_number(double want, double got);

/* [min, max], inclusive. NaN never matches. */
bool scn_match_range(double min, double max, double got);

/* A number check (SCN_VAL_NUMBER or SCN_VAL_RANGE) against an observation. */
bool scn_check_match_number(const struct scn_check *check, double got);

/* Exactly 8 characters, each 0 1 a b c. */
bool scn_leds_valid(const char *word);

/* Both valid LED words and equal, character by character. */
bool scn_match_leds(const char *want, const char *got);

/* The wanted value as text: "a0000111", "standby", "none", "[2.5, 3.65]",
 * "3.2", "true", "7", "charge_ot|cell_ov", "protect.charge_ot".
 * Returns the length (as snprintf). */
int scn_check_format_want(const struct scn_check *check, char *buf, size_t len);

/* The failure line of docs/spec/SCENARIO.md, without a newline:
 * "FILE: expect[3] (at 2h, pack 1): leds wanted a0000111, got 00000000 (state uvp)"
 * context may be NULL or "" (then no parenthesis). Returns the length. */
int scn_format_failure(char *buf, size_t len, const char *file, const struct scn_expect *expect,
                       const struct scn_check *check, const char *got, const char *context);

/* "expect[3] (at 2h, pack 1)": names one expectation (JUnit testcase name). */
int scn_format_expect_label(char *buf, size_t len, const struct scn_expect *expect);

#endif
