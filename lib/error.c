/* The error module: status codes as names and texts (see include/vipa/error.h). A
 * context's own message of its last failure is the registry's (vipa__fail, registry.c). */
#include <string.h>

#include "vipa/error.h"

struct status_entry {
    int code;
    const char *name;
    const char *text;
};

/* One table, so a code's name and text cannot drift apart. Append only. */
static const struct status_entry status_table[] = {
    {VIPA_OK, "VIPA_OK", "success"},
    {VIPA_E_INVALID, "VIPA_E_INVALID", "invalid argument"},
    {VIPA_E_NOMEM, "VIPA_E_NOMEM", "out of memory"},
    {VIPA_E_OVERFLOW, "VIPA_E_OVERFLOW", "integer overflow"},
    {VIPA_E_NOT_FOUND, "VIPA_E_NOT_FOUND", "not found"},
    {VIPA_E_EXISTS, "VIPA_E_EXISTS", "already exists"},
    {VIPA_E_RANGE, "VIPA_E_RANGE", "value out of range"},
    {VIPA_E_PARSE, "VIPA_E_PARSE", "parse error"},
    {VIPA_E_VERSION, "VIPA_E_VERSION", "unsupported struct version"},
    {VIPA_E_STATE, "VIPA_E_STATE", "operation not allowed in the current state"},
    {VIPA_E_IO, "VIPA_E_IO", "input/output error"},
    {VIPA_E_LIMIT, "VIPA_E_LIMIT", "resource limit exceeded"},
};

static const struct status_entry *find_status(int code)
{
    for (size_t i = 0; i < sizeof status_table / sizeof status_table[0]; i++)
        if (status_table[i].code == code)
            return &status_table[i];
    return NULL;
}

const char *vipa_strerror(int code)
{
    const struct status_entry *e = find_status(code);
    return e ? e->text : "unknown error";
}

const char *vipa_error_name(int code)
{
    const struct status_entry *e = find_status(code);
    return e ? e->name : "VIPA_E_UNKNOWN";
}

int vipa_error_from_name(int *code, const char *name)
{
    if (!code || !name)
        return VIPA_E_INVALID;
    for (size_t i = 0; i < sizeof status_table / sizeof status_table[0]; i++) {
        if (strcmp(status_table[i].name, name) == 0) {
            *code = status_table[i].code;
            return VIPA_OK;
        }
    }
    return VIPA_E_NOT_FOUND;
}
