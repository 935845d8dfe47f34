/* check_main.c: suites from tables and their exit status (see check_main.h). */
#include "check_main.h"

#include <stdlib.h>

void gtx_check_add(Suite *s, const struct gtx_test *tests, size_t n, double timeout_s,
                   void (*setup)(void))
{
    TCase *tc = NULL;
    for (size_t i = 0; i < n; i++) {
        const struct gtx_test *t = &tests[i];
        if (t->tcase || !tc) {
            tc = tcase_create(t->tcase ? t->tcase : "tests");
            if (timeout_s > 0)
                tcase_set_timeout(tc, timeout_s);
            if (setup)
                tcase_add_checked_fixture(tc, setup, NULL);
            suite_add_tcase(s, tc);
        }
        tcase_add_loop_test(tc, *t->test, t->from, t->to ? t->to : t->from + 1);
    }
}

int gtx_check_run(Suite *s, bool no_fork, const char *only_tcase)
{
    SRunner *sr = srunner_create(s);
    if (no_fork)
        srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run(sr, NULL, only_tcase, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

int gtx_check_main(const char *suite, const struct gtx_test *tests, size_t n, double timeout_s,
                   void (*setup)(void), bool no_fork)
{
    Suite *s = suite_create(suite);
    gtx_check_add(s, tests, n, timeout_s, setup);
    return gtx_check_run(s, no_fork, NULL);
}
