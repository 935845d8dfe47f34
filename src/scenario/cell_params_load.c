/* cell_params_load: JSON cell parameter file -> struct cell_params. The schema
 * is the two tables below (the numbers: the cell's, its aging's and its optional limits;
 * the SOC/temperature tables);
 * every failure names the offending key or value by FILE:LINE:COL.
 */
#include "gtx/cell_params_load.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "gtx/json_doc.h"

/* Where a number sits: a member of struct cell_params, of its struct cell_aging_params
 * (in the "aging" object) or of its struct cell_limits (in the optional "limits" object: all
 * four or no object at all); IN_CELL_OPTIONAL: of struct cell_params, may be left out (0). */
enum num_in { IN_CELL, IN_AGING, IN_LIMITS, IN_CELL_OPTIONAL };

/* A number member with the range it must lie in (lo_open: lo itself is not allowed);
 * a value outside is refused with the range in words, made from these numbers. */
struct num_field {
    const char *key;
    size_t offset;
    double lo, hi;
    int lo_open;
    enum num_in in;
};

/* A table member: an object {X_KEY: [...], Y_KEY: [...]}. */
struct table_field {
    const char *key, *x_key, *y_key;
    size_t offset;
    double x_lo, x_hi, y_lo, y_hi;
    int y_rising; /* y must not decrease along x */
    int optional; /* may be left out (n = 0) */
};

#define P(f) offsetof(struct cell_params, f)
#define A(f) offsetof(struct cell_aging_params, f)
#define L(f) offsetof(struct cell_limits, f)

static const struct num_field nums[] = {
    {"capacity_ah", P(capacity_ah), 0.0, 1e5, 1, IN_CELL},
    {"r0_ohm", P(r0_ohm), 0.0, 10.0, 1, IN_CELL},
    {"r1_ohm", P(r1_ohm), 0.0, 10.0, 0, IN_CELL},
    {"r2_ohm", P(r2_ohm), 0.0, 10.0, 0, IN_CELL},
    {"tau1_s", P(tau1_s), 0.0, 1e6, 1, IN_CELL},
    {"tau2_s", P(tau2_s), 0.0, 1e6, 1, IN_CELL},
    {"rc_ea_j_per_mol", P(rc_ea_j_per_mol), 0.0, 3e5, 0, IN_CELL},
    {"hyst_gamma", P(hyst_gamma), 0.0, 1e5, 0, IN_CELL},
    {"eta_charge", P(eta_charge), 0.5, 1.0, 1, IN_CELL},
    {"mass_kg", P(mass_kg), 0.0, 1e4, 1, IN_CELL},
    {"cp_j_per_kg_k", P(cp_j_per_kg_k), 0.0, 1e5, 1, IN_CELL},
    {"self_discharge_per_month", P(self_discharge_per_month), 0.0, 1.0, 0, IN_CELL},
    {"self_discharge_ea_j_per_mol", P(self_discharge_ea_j_per_mol), 0.0, 3e5, 0, IN_CELL},
    {"diff_tau_s", P(diff_tau_s), 0.0, 1e7, 0, IN_CELL},
    {"diff_ea_j_per_mol", P(diff_ea_j_per_mol), 0.0, 3e5, 0, IN_CELL},
    {"cal_k_per_s_pow", A(cal_k_per_s_pow), 0.0, 1.0, 0, IN_AGING},
    {"cal_exponent", A(cal_exponent), 0.0, 2.0, 1, IN_AGING},
    {"cal_ea_j_per_mol", A(cal_ea_j_per_mol), 0.0, 3e5, 0, IN_AGING},
    {"cyc_k_per_efc_pow", A(cyc_k_per_efc_pow), 0.0, 1.0, 0, IN_AGING},
    {"cyc_exponent", A(cyc_exponent), 0.0, 2.0, 1, IN_AGING},
    {"cyc_dod_exponent", A(cyc_dod_exponent), 0.0, 10.0, 0, IN_AGING},
    {"res_cal_k", A(res_cal_k), 0.0, 1.0, 0, IN_AGING},
    {"res_cyc_k", A(res_cyc_k), 0.0, 1.0, 0, IN_AGING},
    {"overdischarge_v", A(overdischarge_v), 0.0, 5.0, 0, IN_AGING},
    {"overdischarge_loss_per_s", A(overdischarge_loss_per_s), 0.0, 1.0, 0, IN_AGING},
    {"v_min_v", L(v_min_v), 0.0, 10.0, 1, IN_LIMITS},
    {"v_max_v", L(v_max_v), 0.0, 10.0, 1, IN_LIMITS},
    {"charge_a", L(charge_a), 0.0, 1e5, 1, IN_LIMITS},
    {"discharge_a", L(discharge_a), 0.0, 1e5, 1, IN_LIMITS},
    {"r3_ohm", P(r3_ohm), 0.0, 10.0, 0, IN_CELL_OPTIONAL},
    {"tau3_s", P(tau3_s), 0.0, 1e7, 1, IN_CELL_OPTIONAL},
};

static const struct table_field cell_tables[] = {
    {"ocv25_v", "soc", "v", P(ocv25_v), -0.5, 1.5, 0.0, 10.0, 1, 0},
    {"docv_dt_v_per_k", "soc", "v_per_k", P(docv_dt_v_per_k), -0.5, 1.5, -0.01, 0.01, 0, 0},
    {"hyst_v", "soc", "v", P(hyst_v), -0.5, 1.5, 0.0, 1.0, 0, 0},
    {"r0_temp_factor", "temp_c", "factor", P(r0_temp_factor), -100.0, 200.0, 1e-3, 1e4, 0, 0},
    {"rc_temp_factor", "temp_c", "factor", P(rc_temp_factor), -100.0, 200.0, 1e-3, 1e4, 0, 1},
    {"capacity_temp_factor", "temp_c", "factor", P(capacity_temp_factor), -100.0, 200.0, 0.5,
     1.5, 0, 1},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct ctx {
    const struct json_doc *doc;
    char *err;
    size_t err_len;
};

static const char *type_name(const cJSON *n)
{
    if (cJSON_IsNumber(n))
        return "a number";
    if (cJSON_IsString(n))
        return "a string";
    if (cJSON_IsBool(n))
        return "a boolean";
    if (cJSON_IsNull(n))
        return "null";
    if (cJSON_IsArray(n))
        return "an array";
    return "an object";
}

static int fail_type(struct ctx *c, const cJSON *n, const char *what, const char *expected)
{
    json_doc_errorf(c->doc, n, 0, c->err, c->err_len, "%s is %s (expected %s)", what,
                    type_name(n), expected);
    return -1;
}

/* Members of obj must be among keys[] (plus the optional ones), each once;
 * every key of keys[] must be present. */
static int check_keys(struct ctx *c, const cJSON *obj, const char *where,
                      const char *const *keys, size_t n_keys, const char *const *optional,
                      size_t n_optional)
{
    for (const cJSON *m = obj->child; m; m = m->next) {
        int known = 0;
        for (size_t i = 0; i < n_keys && !known; i++)
            known = strcmp(m->string, keys[i]) == 0;
        for (size_t i = 0; i < n_optional && !known; i++)
            known = strcmp(m->string, optional[i]) == 0;
        if (!known) {
            json_doc_errorf(c->doc, m, 1, c->err, c->err_len,
                            "unknown key \"%s\" in %s (expected one of the keys in "
                            "docs/physics.md)", m->string, where);
            return -1;
        }
        for (const cJSON *o = obj->child; o != m; o = o->next)
            if (strcmp(o->string, m->string) == 0) {
                json_doc_errorf(c->doc, m, 1, c->err, c->err_len,
                                "duplicate key \"%s\" in %s (expected each key once)",
                                m->string, where);
                return -1;
            }
    }
    for (size_t i = 0; i < n_keys; i++)
        if (!cJSON_GetObjectItemCaseSensitive(obj, keys[i])) {
            json_doc_errorf(c->doc, obj, 0, c->err, c->err_len,
                            "missing key \"%s\" in %s (expected it with a value)", keys[i],
                            where);
            return -1;
        }
    return 0;
}

static int read_number(struct ctx *c, const cJSON *n, const char *what, double *out)
{
    if (!cJSON_IsNumber(n))
        return fail_type(c, n, what, "a number");
    if (!isfinite(n->valuedouble)) {
        json_doc_errorf(c->doc, n, 0, c->err, c->err_len, "%s is not finite (expected a "
                        "finite number)", what);
        return -1;
    }
    *out = n->valuedouble;
    return 0;
}

/* The keys of the numbers in `in`; returns how many. */
static size_t keys_in(enum num_in in, const char **keys)
{
    size_t n = 0;
    for (size_t i = 0; i < COUNT(nums); i++)
        if (nums[i].in == in)
            keys[n++] = nums[i].key;
    return n;
}

/* x as a person writes a bound: 0.5, 100000, 1e6 (not %g's 1e+06). */
static void format_bound(char *out, size_t cap, double x)
{
    snprintf(out, cap, "%g", x);
    char *e = strstr(out, "e+");
    if (e) {
        char *digits = e + 2;
        while (*digits == '0' && digits[1])
            digits++;
        memmove(e + 1, digits, strlen(digits) + 1);
    }
}

/* "> 0 and <= 100000": the range of f in words. */
static void format_range(char *out, size_t cap, const struct num_field *f)
{
    char lo[32], hi[32];
    format_bound(lo, sizeof lo, f->lo);
    format_bound(hi, sizeof hi, f->hi);
    snprintf(out, cap, "%s %s and <= %s", f->lo_open ? ">" : ">=", lo, hi);
}

/* The numbers of nums[] in `in`, the members of obj, into base. */
static int read_nums(struct ctx *c, const cJSON *obj, enum num_in in, void *base)
{
    const struct num_field *f = nums;
    for (size_t i = 0; i < COUNT(nums); i++) {
        if (f[i].in != in)
            continue;
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, f[i].key);
        if (!v && in == IN_CELL_OPTIONAL)
            continue;
        double x = 0.0;
        char what[80];
        snprintf(what, sizeof what, "\"%s\"", f[i].key);
        if (read_number(c, v, what, &x) < 0)
            return -1;
        if (x > f[i].hi || x < f[i].lo || (f[i].lo_open && x == f[i].lo)) {
            char range[80];
            format_range(range, sizeof range, &f[i]);
            json_doc_errorf(c->doc, v, 0, c->err, c->err_len, "\"%s\" = %g is out of range "
                            "(expected %s)", f[i].key, x, range);
            return -1;
        }
        memcpy((char *)base + f[i].offset, &x, sizeof x);
    }
    return 0;
}

/* One array of a table: numbers within [lo, hi]; returns its length or -1. */
static int read_column(struct ctx *c, const cJSON *arr, const char *what, double lo, double hi,
                       double *out)
{
    if (!cJSON_IsArray(arr))
        return fail_type(c, arr, what, "an array of numbers");
    int n = 0;
    for (const cJSON *e = arr->child; e; e = e->next, n++) {
        if (n >= CELL_TABLE_MAX) {
            json_doc_errorf(c->doc, e, 0, c->err, c->err_len, "%s has too many values "
                            "(expected at most %d)", what, CELL_TABLE_MAX);
            return -1;
        }
        char ewhat[96];
        snprintf(ewhat, sizeof ewhat, "value %d of %s", n + 1, what);
        if (read_number(c, e, ewhat, &out[n]) < 0)
            return -1;
        if (out[n] < lo || out[n] > hi) {
            json_doc_errorf(c->doc, e, 0, c->err, c->err_len, "%s = %g is out of range "
                            "(expected %g to %g)", ewhat, out[n], lo, hi);
            return -1;
        }
    }
    return n;
}

static int read_table(struct ctx *c, const cJSON *root, const struct table_field *f,
                      struct cell_params *out)
{
    const cJSON *obj = cJSON_GetObjectItemCaseSensitive(root, f->key);
    if (!obj && f->optional)
        return 0;
    char where[80];
    snprintf(where, sizeof where, "\"%s\"", f->key);
    if (!cJSON_IsObject(obj))
        return fail_type(c, obj, where, "an object with two arrays");
    const char *const keys[] = {f->x_key, f->y_key};
    if (check_keys(c, obj, where, keys, 2, NULL, 0) < 0)
        return -1;
    struct cell_table *t = (struct cell_table *)((char *)out + f->offset);
    const cJSON *xs = cJSON_GetObjectItemCaseSensitive(obj, f->x_key);
    const cJSON *ys = cJSON_GetObjectItemCaseSensitive(obj, f->y_key);
    char xw[96], yw[96];
    snprintf(xw, sizeof xw, "\"%s.%s\"", f->key, f->x_key);
    snprintf(yw, sizeof yw, "\"%s.%s\"", f->key, f->y_key);
    int nx = read_column(c, xs, xw, f->x_lo, f->x_hi, t->x);
    if (nx < 0)
        return -1;
    int ny = read_column(c, ys, yw, f->y_lo, f->y_hi, t->y);
    if (ny < 0)
        return -1;
    if (nx < 2) {
        json_doc_errorf(c->doc, xs, 0, c->err, c->err_len, "%s has %d value%s (expected at "
                        "least 2)", xw, nx, nx == 1 ? "" : "s");
        return -1;
    }
    if (ny != nx) {
        json_doc_errorf(c->doc, ys, 0, c->err, c->err_len, "%s has %d values (expected %d, "
                        "as many as %s)", yw, ny, nx, xw);
        return -1;
    }
    const cJSON *ex = xs->child->next, *ey = ys->child->next;
    for (int i = 1; i < nx; i++, ex = ex->next, ey = ey->next) {
        if (t->x[i] <= t->x[i - 1]) {
            json_doc_errorf(c->doc, ex, 0, c->err, c->err_len, "%s is not increasing at "
                            "value %d: %g after %g (expected strictly increasing values)",
                            xw, i + 1, t->x[i], t->x[i - 1]);
            return -1;
        }
        if (f->y_rising && t->y[i] < t->y[i - 1]) {
            json_doc_errorf(c->doc, ey, 0, c->err, c->err_len, "%s decreases at value %d: "
                            "%g after %g (expected a non-decreasing curve)", yw, i + 1,
                            t->y[i], t->y[i - 1]);
            return -1;
        }
    }
    t->n = nx;
    return 0;
}

static int read_limits(struct ctx *c, const cJSON *obj, struct cell_limits *out)
{
    if (!obj)
        return 0;
    if (!cJSON_IsObject(obj))
        return fail_type(c, obj, "\"limits\"", "an object");
    const char *keys[COUNT(nums)];
    size_t nk = keys_in(IN_LIMITS, keys);
    if (check_keys(c, obj, "\"limits\"", keys, nk, NULL, 0) < 0 ||
        read_nums(c, obj, IN_LIMITS, out) < 0)
        return -1;
    if (out->v_max_v <= out->v_min_v) {
        json_doc_errorf(c->doc, cJSON_GetObjectItemCaseSensitive(obj, "v_max_v"), 0, c->err,
                        c->err_len, "\"v_max_v\" = %g is not above \"v_min_v\" = %g "
                        "(expected the charge cut-off above the discharge cut-off)",
                        out->v_max_v, out->v_min_v);
        return -1;
    }
    out->given = true;
    return 0;
}

static int read_root(struct ctx *c, const cJSON *root, struct cell_params *out)
{
    if (!cJSON_IsObject(root))
        return fail_type(c, root, "the cell parameter file", "an object");
    const char *keys[1 + COUNT(nums) + COUNT(cell_tables) + 1];
    const char *optional[3 + COUNT(nums) + COUNT(cell_tables)];
    size_t nk = 0, no = 0;
    keys[nk++] = "name";
    nk += keys_in(IN_CELL, keys + nk);
    optional[no++] = "notes";
    optional[no++] = "limits";
    optional[no++] = "r1_butler_volmer";
    no += keys_in(IN_CELL_OPTIONAL, optional + no);
    for (size_t i = 0; i < COUNT(cell_tables); i++) {
        if (cell_tables[i].optional)
            optional[no++] = cell_tables[i].key;
        else
            keys[nk++] = cell_tables[i].key;
    }
    keys[nk++] = "aging";
    if (check_keys(c, root, "the cell parameters", keys, nk, optional, no) < 0)
        return -1;

    const cJSON *name = cJSON_GetObjectItemCaseSensitive(root, "name");
    if (!cJSON_IsString(name))
        return fail_type(c, name, "\"name\"", "a string");
    if (strlen(name->valuestring) >= sizeof out->name) {
        json_doc_errorf(c->doc, name, 0, c->err, c->err_len, "\"name\" is too long (expected "
                        "at most %zu characters)", sizeof out->name - 1);
        return -1;
    }
    snprintf(out->name, sizeof out->name, "%s", name->valuestring);
    const cJSON *notes = cJSON_GetObjectItemCaseSensitive(root, "notes");
    if (notes && !cJSON_IsString(notes))
        return fail_type(c, notes, "\"notes\"", "a string");

    if (read_nums(c, root, IN_CELL, out) < 0 || read_nums(c, root, IN_CELL_OPTIONAL, out) < 0)
        return -1;
    const cJSON *r3 = cJSON_GetObjectItemCaseSensitive(root, "r3_ohm");
    const cJSON *tau3 = cJSON_GetObjectItemCaseSensitive(root, "tau3_s");
    if (!r3 != !tau3) {
        json_doc_errorf(c->doc, r3 ? r3 : tau3, 1, c->err, c->err_len, "\"%s\" without \"%s\" "
                        "(expected both keys of the third RC branch or neither)",
                        r3 ? "r3_ohm" : "tau3_s", r3 ? "tau3_s" : "r3_ohm");
        return -1;
    }
    const cJSON *bv = cJSON_GetObjectItemCaseSensitive(root, "r1_butler_volmer");
    if (bv && !cJSON_IsBool(bv))
        return fail_type(c, bv, "\"r1_butler_volmer\"", "true or false");
    out->r1_butler_volmer = bv && cJSON_IsTrue(bv);
    for (size_t i = 0; i < COUNT(cell_tables); i++)
        if (read_table(c, root, &cell_tables[i], out) < 0)
            return -1;

    const cJSON *aging = cJSON_GetObjectItemCaseSensitive(root, "aging");
    if (!cJSON_IsObject(aging))
        return fail_type(c, aging, "\"aging\"", "an object");
    const char *akeys[COUNT(nums)];
    size_t na = keys_in(IN_AGING, akeys);
    if (check_keys(c, aging, "\"aging\"", akeys, na, NULL, 0) < 0)
        return -1;
    if (read_nums(c, aging, IN_AGING, &out->aging) < 0)
        return -1;
    return read_limits(c, cJSON_GetObjectItemCaseSensitive(root, "limits"), &out->limits);
}

static int load_doc(struct json_doc *doc, struct cell_params *out, char *err, size_t err_len)
{
    struct ctx c = {doc, err, err_len};
    memset(out, 0, sizeof *out);
    int rc = read_root(&c, doc->root, out);
    json_doc_free(doc);
    return rc;
}

int cell_params_load(const char *path, struct cell_params *out, char *err, size_t err_len)
{
    struct json_doc doc;
    if (json_doc_load(&doc, path, err, err_len) < 0)
        return -1;
    return load_doc(&doc, out, err, err_len);
}

int cell_params_parse(const char *path, const char *text, size_t len, struct cell_params *out,
                      char *err, size_t err_len)
{
    struct json_doc doc;
    if (json_doc_parse(&doc, path, text, len, err, err_len) < 0)
        return -1;
    return load_doc(&doc, out, err, err_len);
}
