/* check_main.h: the one main() of the Check suites. A suite is a table of tests: each
 * row names the test case it opens (or joins the one above), its function and its loop
 * range; gtx_check_main builds the suite, runs it and turns the result into an exit status.
 */
#ifndef GTX_TEST_CHECK_MAIN_H
#define GTX_TEST_CHECK_MAIN_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>

#define GTX_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* One row: tcase NULL joins the test case above; [from, to) is the loop range of _i,
 * to == 0 a plain test. `test` points at the pointer START_TEST defines, which makes the
 * row a constant (the pointer itself is not). Rows are written with the macros below. */
struct gtx_test {
    const char *tcase;
    const TTest *const *test;
    int from, to;
};

#define GTX_CASE(tcase, fn) {(tcase), &(fn), 0, 0}
#define GTX_CASE_LOOP(tcase, fn, from, to) {(tcase), &(fn), (from), (int)(to)}
#define GTX_TEST(fn) {NULL, &(fn), 0, 0}
#define GTX_LOOP(fn, from, to) {NULL, &(fn), (from), (int)(to)}

/* Adds the rows to s (which may hold test cases of its own already); every test case they
 * open gets the timeout (0: Check's default) and the checked fixture setup (or NULL). */
void gtx_check_add(Suite *s, const struct gtx_test *tests, size_t n, double timeout_s,
                   void (*setup)(void));
/* Runs s (only the test case named only_tcase when not NULL; no_fork: in one process, for
 * tests that share state), frees it; EXIT_SUCCESS when every test passed. */
int gtx_check_run(Suite *s, bool no_fork, const char *only_tcase);
/* The whole main(): a suite of that name from the rows, run. */
int gtx_check_main(const char *suite, const struct gtx_test *tests, size_t n, double timeout_s,
                   void (*setup)(void), bool no_fork);

#endif
