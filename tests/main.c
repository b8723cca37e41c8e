/* Runs every suite; exit status 0 only if all checks pass. */
#include <stdlib.h>
#include "tests.h"

int main(void)
{
    SRunner *sr = srunner_create(suite_status());
    srunner_add_suite(sr, suite_rng());
    srunner_add_suite(sr, suite_entropy());
    srunner_add_suite(sr, suite_quadrature());
    srunner_add_suite(sr, suite_bounds());
    srunner_add_suite(sr, suite_errors());
    srunner_add_suite(sr, suite_threads());
    srunner_add_suite(sr, suite_binned());
    srunner_add_suite(sr, suite_mi());
    srunner_add_suite(sr, suite_fpenv());
    srunner_add_suite(sr, suite_prune());
    srunner_add_suite(sr, suite_npy());
    srunner_add_suite(sr, suite_engine());
    srunner_add_suite(sr, suite_single());
    srunner_add_suite(sr, suite_plan());
    srunner_add_suite(sr, suite_shard());
    srunner_add_suite(sr, suite_sliced());
    srunner_add_suite(sr, suite_sum());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
