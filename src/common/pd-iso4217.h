/* pd-iso4217.h: the active ISO 4217 currencies and their minor-unit exponents */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *code;     /* "USD" */
  guint16     numeric;  /* 840 */
  guint8      exponent; /* digits after the decimal mark: JPY 0, USD 2, KWD 3 */
  const char *name;     /* English name, marked for translation with N_() */
} PdIso4217;

const PdIso4217 *pd_iso4217_lookup (const char *code);
const PdIso4217 *pd_iso4217_table  (guint *n_entries);

G_END_DECLS
