/* scn_expect_run.h: the expectations of one run (private to src/scenario).
 * The runner's time loop calls scn_expect_after_step after every step of the
 * simulator, whatever its length; an expectation is evaluated only when
 * something it reads may have changed (the plant, a pack's status or dry
 * contacts, what the packs said on CAN, new firmware events) or when its own
 * instant comes (at, a deadline, a window's start or end), which
 * scn_expect_next_due_ms tells the loop so that it can stop there.
 */
#ifndef GTX_SCN_EXPECT_RUN_H
#define GTX_SCN_EXPECT_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "gtx/scn_run.h"

struct scn_expect_run;

/* Watches scn's expectations on s; outcomes and counts go into res (its
 * outcomes already allocated, one per expectation), failure lines to log.
 * The run stops at end_ms. NULL when out of memory. */
struct scn_expect_run *scn_expect_run_new(const struct scn_scenario *scn, const struct sim *s,
                                          struct scn_run_result *res, FILE *log,
                                          uint64_t end_ms);
void scn_expect_run_free(struct scn_expect_run *x);

/* The simulator has just been stepped to the instant t_ms ("at time t" is after
 * the firmware ran at t); last: the run ends with this step, so every pending
 * expectation is decided now (or skipped when --until stopped the run before
 * its instant). */
void scn_expect_after_step(struct scn_expect_run *x, uint64_t t_ms, bool last);

/* The earliest instant after the last step at which a pending expectation must
 * be looked at even if nothing changed (its "at", its deadline, its window's
 * start or end); UINT64_MAX when none. A step that ends later than this skips it. */
uint64_t scn_expect_next_due_ms(const struct scn_expect_run *x);

/* A signal stopped the run at t_ms: what is still pending was neither passed
 * nor failed. */
void scn_expect_interrupted(struct scn_expect_run *x, uint64_t t_ms);

#endif
