#define G_LOG_DOMAIN "pd-luhn"

#include "config.h"

#include <string.h>

#include "pd-luhn.h"

/* TRUE when @digits is a non-empty string of ASCII digits whose Luhn sum is
 * a multiple of ten. Anything else, spaces included, is FALSE: callers
 * normalise first. */
gboolean
pd_luhn_valid (const char *digits)
{
  gsize len;
  guint sum = 0;

  if (digits == NULL || digits[0] == '\0')
    return FALSE;

  len = strlen (digits);
  for (gsize i = 0; i < len; i++)
    {
      char c = digits[len - 1 - i];
      guint d;

      if (!g_ascii_isdigit (c))
        return FALSE;

      d = (guint) (c - '0');
      if (i % 2 == 1)
        {
          d *= 2;
          if (d > 9)
            d -= 9;
        }
      sum += d;
    }

  return sum % 10 == 0;
}
