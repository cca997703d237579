/* pd-decimal.c
 *
 * Money never passes through floating point arithmetic. Text is parsed digit
 * by digit into minor units; a JSON number (which json-glib hands over as a
 * double) is first turned back into the shortest decimal text that reads as
 * the same double, which is the text the sender wrote for any amount with
 * fewer than 16 significant digits, and then parsed like any other text.
 */
#define G_LOG_DOMAIN "pd-decimal"

#include "config.h"

#include <math.h>
#include <string.h>

#include "pd-decimal.h"

/**
 * pd_decimal_parse:
 * @text: digits, optionally one @decimal_mark and more digits ("100", "100.5",
 *   ".5", "100."); no sign, no exponent, no grouping, no spaces
 * @decimal_mark: '.' for JSON and wire formats, the locale's mark for user text
 * @exponent: decimals the currency allows
 * @minor_out: (out): the amount in minor units
 *
 * Trailing zeros past the exponent are accepted ("1.500" is 150 cents), any
 * other extra decimal is PD_DECIMAL_TOO_PRECISE: never rounded.
 */
PdDecimalStatus
pd_decimal_parse (const char *text,
                  char        decimal_mark,
                  guint       exponent,
                  gint64     *minor_out)
{
  guint64 value = 0;
  guint decimals = 0;
  gboolean seen_mark = FALSE;
  gboolean seen_digit = FALSE;

  g_return_val_if_fail (minor_out != NULL, PD_DECIMAL_SYNTAX);

  *minor_out = 0;

  if (text == NULL || text[0] == '\0')
    return PD_DECIMAL_EMPTY;
  if (text[0] == '-')
    return PD_DECIMAL_NEGATIVE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == decimal_mark && !seen_mark)
        {
          seen_mark = TRUE;
          continue;
        }
      if (!g_ascii_isdigit (*p))
        return PD_DECIMAL_SYNTAX;

      seen_digit = TRUE;
      if (seen_mark)
        {
          if (decimals == exponent)
            {
              if (*p != '0')
                return PD_DECIMAL_TOO_PRECISE;
              continue;
            }
          decimals++;
        }

      if (value > (G_MAXINT64 - (guint64) (*p - '0')) / 10)
        return PD_DECIMAL_OVERFLOW;
      value = value * 10 + (guint64) (*p - '0');
    }

  if (!seen_digit)
    return PD_DECIMAL_SYNTAX;

  for (; decimals < exponent; decimals++)
    {
      if (value > G_MAXINT64 / 10)
        return PD_DECIMAL_OVERFLOW;
      value *= 10;
    }

  *minor_out = (gint64) value;
  return PD_DECIMAL_OK;
}

/* Rewrites "-1.25e+17" or "5e-07" as plain digits in place, when the result
 * fits the buffer; a magnitude too large or too small for that stays as it is. */
static void
expand_exponent (char buf[G_ASCII_DTOSTR_BUF_SIZE])
{
  char digits[G_ASCII_DTOSTR_BUF_SIZE];
  char plain[G_ASCII_DTOSTR_BUF_SIZE];
  gsize n_digits = 0;
  gsize n_int = 0;
  gboolean seen_point = FALSE;
  gboolean negative = buf[0] == '-';
  const char *p = negative ? buf + 1 : buf;
  gint64 point;
  gsize len = 0;

  for (; *p != 'e'; p++)
    {
      if (*p == '.')
        seen_point = TRUE;
      else
        {
          digits[n_digits++] = *p;
          if (!seen_point)
            n_int++;
        }
    }

  point = (gint64) n_int + g_ascii_strtoll (p + 1, NULL, 10);

  /* sign, "0.", zeros before the digits or after them, the digits, NUL */
  if ((negative ? 1 : 0) + 2 + ABS (point) + n_digits + 1 > G_ASCII_DTOSTR_BUF_SIZE)
    return;

  if (negative)
    plain[len++] = '-';
  if (point <= 0)
    {
      plain[len++] = '0';
      plain[len++] = '.';
      for (gint64 i = point; i < 0; i++)
        plain[len++] = '0';
      memcpy (plain + len, digits, n_digits);
      len += n_digits;
    }
  else
    {
      for (gint64 i = 0; i < MAX (point, (gint64) n_digits); i++)
        {
          if (i == point)
            plain[len++] = '.';
          plain[len++] = i < (gint64) n_digits ? digits[i] : '0';
        }
    }
  plain[len] = '\0';

  memcpy (buf, plain, len + 1);
}

/* The shortest "%.Ng" text that reads back as exactly @value, with a '.'
 * whatever LC_NUMERIC says, and in plain digits (no exponent) whenever that
 * fits G_ASCII_DTOSTR_BUF_SIZE, which it always does between 1e-18 and 1e18. */
void
pd_decimal_shortest (double value,
                     char   buf[G_ASCII_DTOSTR_BUF_SIZE])
{
  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }

  if (isfinite (value) && strchr (buf, 'e') != NULL)
    expand_exponent (buf);
}

/**
 * pd_decimal_from_double:
 *
 * Reads @value as the decimal its shortest text says (0.1 is "0.1", not
 * 0.1000000000000000055...). Magnitudes from 1e18 on are
 * PD_DECIMAL_OVERFLOW: a double that large no longer tells cents apart.
 */
PdDecimalStatus
pd_decimal_from_double (double  value,
                        guint   exponent,
                        gint64 *minor_out)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (minor_out != NULL, PD_DECIMAL_SYNTAX);

  *minor_out = 0;
  if (!isfinite (value))
    return PD_DECIMAL_NOT_FINITE;
  if (value == 0.0)
    return PD_DECIMAL_OK;
  if (value < 0.0)
    return PD_DECIMAL_NEGATIVE;
  if (value >= 1e18)
    return PD_DECIMAL_OVERFLOW;

  pd_decimal_shortest (value, buf);
  /* Still in exponent form: far below any currency's smallest unit. */
  if (strchr (buf, 'e') != NULL)
    return PD_DECIMAL_TOO_PRECISE;

  return pd_decimal_parse (buf, '.', exponent, minor_out);
}

/**
 * pd_decimal_format:
 * @buf: where to write, at least PD_DECIMAL_BUF_SIZE bytes
 *
 * Writes @minor as plain decimal text with exactly @exponent decimals and a
 * '.' mark ("100.10", "-5.000", "1200"). Returns @buf.
 */
char *
pd_decimal_format (gint64 minor,
                   guint  exponent,
                   char   buf[PD_DECIMAL_BUF_SIZE])
{
  guint64 magnitude = minor < 0 ? (guint64) -(minor + 1) + 1 : (guint64) minor;
  guint64 scale = 1;
  char *p = buf;

  g_return_val_if_fail (exponent <= 18, NULL);

  for (guint i = 0; i < exponent; i++)
    scale *= 10;

  if (minor < 0)
    *p++ = '-';

  if (exponent == 0)
    g_snprintf (p, PD_DECIMAL_BUF_SIZE - 1, "%" G_GUINT64_FORMAT, magnitude);
  else
    g_snprintf (p, PD_DECIMAL_BUF_SIZE - 1, "%" G_GUINT64_FORMAT ".%0*" G_GUINT64_FORMAT,
                magnitude / scale, (int) exponent, magnitude % scale);

  return buf;
}
