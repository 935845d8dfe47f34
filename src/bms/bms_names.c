/* bms_names.c: the one set of name tables of bms_ids.h and the limit reasons, each
 * made once from its X-macro list; the firmware, the event log, the trace and the
 * scenario files all read them through these functions.
 */
#include "gtx/bms/status.h"
#include "gtx/bms_ids.h"

/* Names as fixed-width char arrays: no pointer tables, so nothing lands in .data. */
#define NAME_LEN 24u /* longest name + NUL */
#define NAME(id, name) name,
static const char state_names[BMS_STATE_COUNT][NAME_LEN] = {BMS_STATE_LIST(NAME)};
static const char protect_names[BMS_PROT_COUNT][NAME_LEN] = {BMS_PROTECT_LIST(NAME)};
static const char alarm_names[BMS_ALARM_COUNT][NAME_LEN] = {
    BMS_PROTECT_LIST(NAME) BMS_ALARM_EXTRA_LIST(NAME)};
static const char fault_names[BMS_FAULT_COUNT][NAME_LEN] = {BMS_FAULT_LIST(NAME)};
static const char reason_names[BMS_LIMIT_REASON_COUNT][NAME_LEN] = {
    BMS_LIMIT_REASON_LIST(NAME)};
#undef NAME
/* The letters of docs/spec/SCENARIO.md's LED word, in enum bms_led_mode order. */
static const char led_names[BMS_LED_FLASH3 + 1][2] = {"0", "1", "a", "b", "c"};

const char *bms_state_name(enum bms_state s)
{
    return (unsigned)s < BMS_STATE_COUNT ? state_names[s] : "?";
}

const char *bms_protect_name(enum bms_protect_id id)
{
    return (unsigned)id < BMS_PROT_COUNT ? protect_names[id] : "?";
}

const char *bms_alarm_name(enum bms_alarm_id id)
{
    return (unsigned)id < BMS_ALARM_COUNT ? alarm_names[id] : "?";
}

const char *bms_fault_name(enum bms_fault_id id)
{
    return (unsigned)id < BMS_FAULT_COUNT ? fault_names[id] : "?";
}

const char *bms_limit_reason_name(enum bms_limit_reason r)
{
    return (unsigned)r < BMS_LIMIT_REASON_COUNT ? reason_names[r] : "?";
}

const char *bms_led_mode_name(enum bms_led_mode m)
{
    return (unsigned)m <= BMS_LED_FLASH3 ? led_names[m] : "?";
}
