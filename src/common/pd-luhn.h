/* pd-luhn.h: the Luhn (mod 10) check digit test used by payment cards */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean pd_luhn_valid (const char *digits);

G_END_DECLS
