/* test_json_doc: the JSON scanner's positions (keys, values, UTF-8 columns,
 * nested arrays) and its syntax error messages, which every loader's
 * "FILE:LINE:COL: error:" rests on.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "gtx/json_doc.h"

static struct json_doc doc;
static char err[512];

static void parse_ok(const char *text)
{
    int rc = json_doc_parse(&doc, "t.json", text, strlen(text), err, sizeof err);
    ck_assert_msg(rc == 0, "parse failed: %s", err);
}

static const char *parse_err(const char *text, size_t len)
{
    int rc = json_doc_parse(&doc, "t.json", text, len, err, sizeof err);
    ck_assert_int_eq(rc, -1);
    return err;
}

static void assert_pos(const cJSON *node, int at_key, int line, int col)
{
    ck_assert_ptr_nonnull(node);
    struct json_pos p = json_doc_pos(&doc, node, at_key);
    ck_assert_int_eq(p.line, line);
    ck_assert_int_eq(p.col, col);
}

START_TEST(keys_and_values)
{
    parse_ok("{\n"
             "  \"a\": 1,\n"
             "  \"bb\":   {\"c\": true,\n"
             "          \"d\" : null}\n"
             "}\n");
    const cJSON *a = cJSON_GetObjectItem(doc.root, "a");
    assert_pos(doc.root, 0, 1, 1);
    assert_pos(a, 1, 2, 3);
    assert_pos(a, 0, 2, 8);
    const cJSON *bb = cJSON_GetObjectItem(doc.root, "bb");
    assert_pos(bb, 1, 3, 3);
    assert_pos(bb, 0, 3, 11);
    assert_pos(cJSON_GetObjectItem(bb, "c"), 1, 3, 12);
    assert_pos(cJSON_GetObjectItem(bb, "c"), 0, 3, 17);
    assert_pos(cJSON_GetObjectItem(bb, "d"), 1, 4, 11);
    assert_pos(cJSON_GetObjectItem(bb, "d"), 0, 4, 17);
    json_doc_free(&doc);
}
END_TEST

START_TEST(utf8_columns_count_characters)
{
    /* "°" is 2 bytes and "→" 3: columns count characters, not bytes. */
    parse_ok("{\"d\": \"55 °C → 50 °C\", \"k\": [\"é\", 2]}");
    const cJSON *k = cJSON_GetObjectItem(doc.root, "k");
    assert_pos(k, 1, 1, 24);
    assert_pos(k, 0, 1, 29);
    assert_pos(cJSON_GetArrayItem(k, 1), 0, 1, 35);
    json_doc_free(&doc);
}
END_TEST

START_TEST(nested_arrays)
{
    parse_ok("[[1, [2,\n   3]], {\"a\": [[], [4]]}, \"x\"]");
    const cJSON *first = cJSON_GetArrayItem(doc.root, 0);
    const cJSON *inner = cJSON_GetArrayItem(first, 1);
    assert_pos(first, 0, 1, 2);
    assert_pos(cJSON_GetArrayItem(first, 0), 0, 1, 3);
    assert_pos(inner, 0, 1, 6);
    assert_pos(cJSON_GetArrayItem(inner, 1), 0, 2, 4);
    const cJSON *a = cJSON_GetObjectItem(cJSON_GetArrayItem(doc.root, 1), "a");
    assert_pos(cJSON_GetArrayItem(a, 0), 0, 2, 16);
    assert_pos(cJSON_GetArrayItem(cJSON_GetArrayItem(a, 1), 0), 0, 2, 21);
    /* An array element has no key: at_key gives the value. */
    assert_pos(cJSON_GetArrayItem(doc.root, 2), 1, 2, 27);
    json_doc_free(&doc);
}
END_TEST

START_TEST(duplicate_keys_keep_their_own_position)
{
    parse_ok("{\"s\": 1,\n \"s\": 2}");
    const cJSON *second = doc.root->child->next;
    assert_pos(doc.root->child, 1, 1, 2);
    assert_pos(second, 1, 2, 2);
    assert_pos(second, 0, 2, 7);
    json_doc_free(&doc);
}
END_TEST

START_TEST(errorf_formats_the_position)
{
    parse_ok("{\n  \"soc\": 101\n}");
    const cJSON *soc = cJSON_GetObjectItem(doc.root, "soc");
    json_doc_errorf(&doc, soc, 0, err, sizeof err, "'soc' is %d (expected %s)", 101, "0-100");
    ck_assert_str_eq(err, "t.json:2:10: error: 'soc' is 101 (expected 0-100)");
    json_doc_errorf(&doc, soc, 1, err, sizeof err, "x");
    ck_assert_str_eq(err, "t.json:2:3: error: x");
    /* A node from elsewhere has no position: the message points at the start. */
    cJSON *stray = cJSON_CreateNumber(1);
    ck_assert_int_eq(json_doc_pos(&doc, stray, 0).line, 0);
    json_doc_errorf(&doc, stray, 0, err, sizeof err, "y");
    ck_assert_str_eq(err, "t.json:1:1: error: y");
    cJSON_Delete(stray);
    json_doc_free(&doc);
}
END_TEST

START_TEST(offset_positions)
{
    struct json_pos p = json_doc_offset_pos("ab\ncé\nx", 7);
    ck_assert_int_eq(p.line, 3);
    ck_assert_int_eq(p.col, 1);
    p = json_doc_offset_pos("ab\ncé\nx", 6);
    ck_assert_int_eq(p.line, 2);
    ck_assert_int_eq(p.col, 3);
}
END_TEST

/* A UTF-8 byte order mark (Windows editors) is skipped and takes no column:
 * positions are those an editor shows. */
START_TEST(byte_order_mark_is_skipped)
{
    parse_ok("\xEF\xBB\xBF{\"a\": 1,\n \"b\": [2]}");
    assert_pos(doc.root, 0, 1, 1);
    assert_pos(cJSON_GetObjectItem(doc.root, "a"), 1, 1, 2);
    assert_pos(cJSON_GetObjectItem(doc.root, "a"), 0, 1, 7);
    assert_pos(cJSON_GetObjectItem(doc.root, "b"), 0, 2, 7);
    json_doc_free(&doc);
    const char *bad = "\xEF\xBB\xBF{\"a\" 1}";
    ck_assert_str_eq(parse_err(bad, strlen(bad)),
                     "t.json:1:6: error: unexpected '1' (expected ':' after the key)");
    /* Only a leading one: elsewhere it is still a stray byte. */
    const char *inner = "[1,\xEF\xBB\xBF 2]";
    ck_assert_str_eq(parse_err(inner, strlen(inner)),
                     "t.json:1:4: error: unexpected byte 0xef (expected a value: object, "
                     "array, string, number, true, false or null)");
}
END_TEST

/* Positions are found in one pass: in a long single-line list every element
 * still gets its own column (the last one too). */
START_TEST(positions_in_a_long_list)
{
    size_t n = 50000;
    char *text = malloc(2 * n + 2);
    ck_assert_ptr_nonnull(text);
    text[0] = '[';
    for (size_t i = 0; i < n; i++) {
        text[1 + 2 * i] = '7';
        text[2 + 2 * i] = i + 1 < n ? ',' : ']';
    }
    text[2 * n + 1] = '\0';
    parse_ok(text);
    assert_pos(cJSON_GetArrayItem(doc.root, 0), 0, 1, 2);
    const cJSON *last = doc.root->child;
    while (last->next)
        last = last->next;
    assert_pos(last, 0, 1, (int)(2 * n));
    json_doc_free(&doc);
    free(text);
}
END_TEST

/* Each syntax error: the exact message, at the exact place. */
static const struct {
    const char *text;
    const char *message;
} syntax[] = {
    {"{\"a\": 1\n \"b\": 2}", "t.json:2:2: error: unexpected '\"' (expected ',' or '}')"},
    {"{\"a\": 1,}", "t.json:1:9: error: trailing ',' before '}' (expected another member "
                    "after ',')"},
    {"[1, 2,\n]", "t.json:2:1: error: trailing ',' before ']' (expected another value "
                  "after ',')"},
    {"[1 2]", "t.json:1:4: error: unexpected '2' (expected ',' or ']')"},
    {"{\"a\": \"xy\n\"}", "t.json:1:7: error: unterminated string (expected a closing '\"' on "
                          "the same line)"},
    {"{\"a\": \"xy", "t.json:1:7: error: unterminated string (expected a closing '\"')"},
    {"[\"a\\x\"]", "t.json:1:4: error: bad escape in string (expected one of \\\" \\\\ \\/ "
                   "\\b \\f \\n \\r \\t \\uXXXX)"},
    {"[\"\\u12G4\"]", "t.json:1:3: error: bad \\u escape in string (expected 4 hex digits)"},
    {"[\"a\tb\"]", "t.json:1:4: error: control character in string (expected it escaped, "
                   "such as \\t)"},
    {"[01]", "t.json:1:2: error: bad number (expected no leading zeros)"},
    {"[1.]", "t.json:1:2: error: bad number (expected digits after '.')"},
    {"[1e+]", "t.json:1:2: error: bad number (expected digits in the exponent)"},
    {"[-]", "t.json:1:2: error: bad number (expected a digit after '-')"},
    {"{'a': 1}", "t.json:1:2: error: unexpected ''' (expected a key in double quotes)"},
    {"{\"a\" 1}", "t.json:1:6: error: unexpected '1' (expected ':' after the key)"},
    {"[tru]", "t.json:1:2: error: unexpected 't' (expected a value: object, array, string, "
              "number, true, false or null)"},
    {"{\"a\": }", "t.json:1:7: error: unexpected '}' (expected a value: object, array, "
                  "string, number, true, false or null)"},
    {"{}\n}", "t.json:2:1: error: unexpected '}' after the end of the document (expected "
              "nothing more)"},
    {"", "t.json:1:1: error: unexpected end of file (expected a value)"},
    {"  \n ", "t.json:2:2: error: unexpected end of file (expected a value)"},
    {"{\"é\": [1,", "t.json:1:10: error: unexpected end of file (expected a value)"},
};

START_TEST(syntax_errors)
{
    ck_assert_str_eq(parse_err(syntax[_i].text, strlen(syntax[_i].text)), syntax[_i].message);
    ck_assert_ptr_null(doc.root);
}
END_TEST

START_TEST(nul_byte)
{
    ck_assert_str_eq(parse_err("{\"a\":\n 1\0}", 10),
                     "t.json:2:3: error: NUL byte in the file (expected JSON text)");
}
END_TEST

START_TEST(deep_nesting_is_an_error_not_a_crash)
{
    size_t n = 100000;
    char *text = malloc(n + 1);
    memset(text, '[', n);
    text[n] = '\0';
    ck_assert_str_eq(parse_err(text, n),
                     "t.json:1:258: error: nested too deeply (expected at most 256 levels)");
    free(text);
}
END_TEST

START_TEST(missing_file)
{
    ck_assert_int_eq(json_doc_load(&doc, "no/such/file.json", err, sizeof err), -1);
    ck_assert_str_eq(err, "no/such/file.json: error: cannot read: No such file or directory");
}
END_TEST

static const struct gtx_test tests[] = {
    GTX_CASE("core", keys_and_values),
    GTX_TEST(utf8_columns_count_characters),
    GTX_TEST(nested_arrays),
    GTX_TEST(duplicate_keys_keep_their_own_position),
    GTX_TEST(errorf_formats_the_position),
    GTX_TEST(offset_positions),
    GTX_TEST(byte_order_mark_is_skipped),
    GTX_TEST(positions_in_a_long_list),
    GTX_LOOP(syntax_errors, 0, GTX_COUNT(syntax)),
    GTX_TEST(nul_byte),
    GTX_TEST(deep_nesting_is_an_error_not_a_crash),
    GTX_TEST(missing_file),
};

int main(void)
{
    return gtx_check_main("json_doc", tests, GTX_COUNT(tests), 0, NULL, false);
}
