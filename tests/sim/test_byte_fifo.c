/* test_byte_fifo: the UART wire's ring (gtx/byte_fifo.h): a cable's bytes staged into the
 * receiving FIFO are not readable before they arrive, keep their order behind what the
 * FIFO holds across the ring's end, and what does not fit is lost.
 */
#include <check.h>
#include <string.h>

#include "gtx/byte_fifo.h"
#include "check_main.h"

static struct byte_fifo fifo;

START_TEST(test_staged_bytes_arrive_later)
{
    memset(&fifo, 0, sizeof fifo);
    const uint8_t held[] = {1, 2, 3}, frame[] = {4, 5};
    ck_assert_uint_eq(byte_fifo_stage(&fifo, held, sizeof held), 3);
    ck_assert_uint_eq(byte_fifo_used(&fifo), 0); /* on the wire: nothing to read yet */
    uint8_t got[8];
    ck_assert_uint_eq(byte_fifo_read(&fifo, got, sizeof got), 0);
    ck_assert(byte_fifo_arrive(&fifo));
    ck_assert(!byte_fifo_arrive(&fifo)); /* nothing more on its way */
    ck_assert_uint_eq(byte_fifo_stage(&fifo, frame, sizeof frame), 2);
    ck_assert_uint_eq(byte_fifo_used(&fifo), 3);
    ck_assert(byte_fifo_arrive(&fifo));
    ck_assert_uint_eq(byte_fifo_read(&fifo, got, sizeof got), 5);
    const uint8_t want[] = {1, 2, 3, 4, 5};
    ck_assert_mem_eq(got, want, sizeof want);
}
END_TEST

/* Staged bytes go in after what the FIFO holds and what is on its way, across the
 * ring's end; what does not fit is lost, as with a write. */
START_TEST(test_staging_wraps_and_overruns)
{
    memset(&fifo, 0, sizeof fifo);
    static uint8_t fill[BYTE_FIFO_SIZE], out[BYTE_FIFO_SIZE];
    ck_assert_uint_eq(byte_fifo_write(&fifo, fill, BYTE_FIFO_SIZE - 2), BYTE_FIFO_SIZE - 2);
    ck_assert_uint_eq(byte_fifo_read(&fifo, out, BYTE_FIFO_SIZE - 4), BYTE_FIFO_SIZE - 4);
    const uint8_t a[] = {10, 11, 12}, b[] = {13, 14, 15};
    ck_assert_uint_eq(byte_fifo_stage(&fifo, a, sizeof a), 3); /* wraps after 2 */
    ck_assert_uint_eq(byte_fifo_stage(&fifo, b, sizeof b), 3);
    ck_assert(byte_fifo_arrive(&fifo));
    ck_assert_uint_eq(byte_fifo_read(&fifo, out, sizeof out), 2 + 6);
    const uint8_t want[] = {0, 0, 10, 11, 12, 13, 14, 15};
    ck_assert_mem_eq(out, want, sizeof want);
    ck_assert_uint_eq(byte_fifo_write(&fifo, fill, BYTE_FIFO_SIZE - 1), BYTE_FIFO_SIZE - 1);
    ck_assert_uint_eq(byte_fifo_stage(&fifo, a, sizeof a), 1); /* room for one */
    ck_assert_uint_eq(byte_fifo_stage(&fifo, b, sizeof b), 0);
    ck_assert(byte_fifo_arrive(&fifo));
    ck_assert_uint_eq(byte_fifo_used(&fifo), BYTE_FIFO_SIZE);
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_TEST(test_staged_bytes_arrive_later),
    GTX_TEST(test_staging_wraps_and_overruns),
};

int main(void)
{
    return gtx_check_main("byte_fifo", tests, GTX_COUNT(tests), 30, NULL, false);
}
