/* pd-card.c
 *
 * Card data rules (DESIGN.md): this file never logs, and no message it
 * writes contains a digit of the number or of the CVV it was given.
 */
#define G_LOG_DOMAIN "pd-card"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pd-card.h"
#include "pd-luhn.h"

G_DEFINE_QUARK (pd-card-error-quark, pd_card_error)

G_DEFINE_ENUM_TYPE (PdCardBrand, pd_card_brand,
  G_DEFINE_ENUM_VALUE (PD_CARD_BRAND_UNKNOWN, "unknown"),
  G_DEFINE_ENUM_VALUE (PD_CARD_BRAND_VISA, "visa"),
  G_DEFINE_ENUM_VALUE (PD_CARD_BRAND_MASTERCARD, "mastercard"),
  G_DEFINE_ENUM_VALUE (PD_CARD_BRAND_AMEX, "amex"),
  G_DEFINE_ENUM_VALUE (PD_CARD_BRAND_DISCOVER, "discover"),
  G_DEFINE_ENUM_VALUE (PD_CARD_BRAND_DINERS, "diners"),
  G_DEFINE_ENUM_VALUE (PD_CARD_BRAND_JCB, "jcb"),
  G_DEFINE_ENUM_VALUE (PD_CARD_BRAND_UNIONPAY, "unionpay"),
  G_DEFINE_ENUM_VALUE (PD_CARD_BRAND_MAESTRO, "maestro"))

#define LENGTH(n)          (1u << (n))
#define LENGTHS(from, to)  ((LENGTH ((to) + 1) - 1) & ~(LENGTH (from) - 1))

static const struct
{
  const char *label;
  guint32     lengths;  /* bit n set: n digits are valid */
  guint       cvv_length;
} brands[] = {
  [PD_CARD_BRAND_UNKNOWN] = { N_("Card"), 0, 0 },
  [PD_CARD_BRAND_VISA] = { N_("Visa"), LENGTH (13) | LENGTH (16) | LENGTH (19), 3 },
  [PD_CARD_BRAND_MASTERCARD] = { N_("Mastercard"), LENGTH (16), 3 },
  [PD_CARD_BRAND_AMEX] = { N_("American Express"), LENGTH (15), 4 },
  [PD_CARD_BRAND_DISCOVER] = { N_("Discover"), LENGTHS (16, 19), 3 },
  [PD_CARD_BRAND_DINERS] = { N_("Diners Club"), LENGTHS (14, 19), 3 },
  [PD_CARD_BRAND_JCB] = { N_("JCB"), LENGTHS (16, 19), 3 },
  [PD_CARD_BRAND_UNIONPAY] = { N_("UnionPay"), LENGTHS (16, 19), 3 },
  [PD_CARD_BRAND_MAESTRO] = { N_("Maestro"), LENGTHS (12, 19), 3 },
};

/* Issuer prefixes as six-digit ranges, sorted and disjoint. Where the
 * brands' rules overlap, the more specific one has already been cut out:
 * Discover's 6011 and 622126–622925 out of Maestro and UnionPay, and
 * Maestro is what is left of 50 and 56–69. */
static const struct
{
  guint32     low;
  guint32     high;
  PdCardBrand brand;
} prefixes[] = {
  { 222100, 272099, PD_CARD_BRAND_MASTERCARD },
  { 300000, 305999, PD_CARD_BRAND_DINERS },
  { 340000, 349999, PD_CARD_BRAND_AMEX },
  { 352800, 358999, PD_CARD_BRAND_JCB },
  { 360000, 369999, PD_CARD_BRAND_DINERS },
  { 370000, 379999, PD_CARD_BRAND_AMEX },
  { 380000, 399999, PD_CARD_BRAND_DINERS },
  { 400000, 499999, PD_CARD_BRAND_VISA },
  { 500000, 509999, PD_CARD_BRAND_MAESTRO },
  { 510000, 559999, PD_CARD_BRAND_MASTERCARD },
  { 560000, 601099, PD_CARD_BRAND_MAESTRO },
  { 601100, 601199, PD_CARD_BRAND_DISCOVER },
  { 601200, 619999, PD_CARD_BRAND_MAESTRO },
  { 620000, 622125, PD_CARD_BRAND_UNIONPAY },
  { 622126, 622925, PD_CARD_BRAND_DISCOVER },
  { 622926, 629999, PD_CARD_BRAND_UNIONPAY },
  { 630000, 643999, PD_CARD_BRAND_MAESTRO },
  { 644000, 659999, PD_CARD_BRAND_DISCOVER },
  { 660000, 699999, PD_CARD_BRAND_MAESTRO },
};

#define PREFIX_DIGITS 6

/* Spaces and dashes people type or paste between the digits. */
static const char * const separators[] = {
  " ", "-", "\u00a0", "\u2009", "\u202f", "\u2010", "\u2011", "\u2012", "\u2013",
};

#define BULLET "\u2022"

static gboolean
brand_is_valid (PdCardBrand brand)
{
  return (guint) brand < G_N_ELEMENTS (brands);
}

const char *
pd_card_brand_to_key (PdCardBrand brand)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (PD_TYPE_CARD_BRAND);
  GEnumValue *value = g_enum_get_value (klass, brand);

  return value != NULL ? value->value_nick : NULL;
}

gboolean
pd_card_brand_from_key (const char  *key,
                        PdCardBrand *brand)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *value;

  g_return_val_if_fail (brand != NULL, FALSE);

  if (key == NULL)
    return FALSE;

  klass = g_type_class_ref (PD_TYPE_CARD_BRAND);
  value = g_enum_get_value_by_nick (klass, key);
  if (value == NULL)
    return FALSE;

  *brand = value->value;
  return TRUE;
}

/* The brand's name for people ("American Express"), translated. */
const char *
pd_card_brand_get_label (PdCardBrand brand)
{
  g_return_val_if_fail (brand_is_valid (brand), NULL);

  return _(brands[brand].label);
}

gboolean
pd_card_brand_accepts_length (PdCardBrand brand,
                              guint       length)
{
  g_return_val_if_fail (brand_is_valid (brand), FALSE);

  return length < 32 && (brands[brand].lengths & LENGTH (length)) != 0;
}

/* 4 for American Express, 3 for the others, 0 for an unknown brand. */
guint
pd_card_brand_cvv_length (PdCardBrand brand)
{
  g_return_val_if_fail (brand_is_valid (brand), 0);

  return brands[brand].cvv_length;
}

/**
 * pd_card_brand_grouping:
 * @length: how many digits there are, or will be
 * @groups: (out): the size of each group, left to right
 *
 * How the number is printed on the card: American Express 4-6-5, a 14-digit
 * Diners Club 4-6-4, anything else fours.
 *
 * Returns: the number of groups
 */
guint
pd_card_brand_grouping (PdCardBrand brand,
                        guint       length,
                        guint       groups[PD_CARD_MAX_GROUPS])
{
  guint n_groups = 0;

  g_return_val_if_fail (brand_is_valid (brand), 0);

  length = MIN (length, PD_CARD_MAX_DIGITS);

  if (brand == PD_CARD_BRAND_AMEX || (brand == PD_CARD_BRAND_DINERS && length <= 14))
    {
      groups[0] = 4;
      groups[1] = 6;
      groups[2] = brand == PD_CARD_BRAND_AMEX ? 5 : 4;
      return 3;
    }

  for (guint done = 0; done < length || n_groups == 0; done += 4)
    groups[n_groups++] = 4;
  return n_groups;
}

static gboolean
match_separator (const char *p,
                 gsize      *len)
{
  for (guint i = 0; i < G_N_ELEMENTS (separators); i++)
    if (g_str_has_prefix (p, separators[i]))
      {
        *len = strlen (separators[i]);
        return TRUE;
      }
  return FALSE;
}

/**
 * pd_card_normalize:
 * @input: the number as typed or pasted: "4111 1111-1111 1111"
 * @digits: (out caller-allocates): the digits alone
 *
 * Drops spaces and dashes. Anything else that is not a digit, and more
 * digits than any card has, are errors. On error @digits is wiped.
 */
gboolean
pd_card_normalize (const char  *input,
                   char         digits[PD_CARD_DIGITS_SIZE],
                   GError     **error)
{
  guint n = 0;

  g_return_val_if_fail (digits != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  digits[0] = '\0';

  for (const char *p = input; p != NULL && *p != '\0';)
    {
      gsize len;

      if (g_ascii_isdigit (*p))
        {
          if (n == PD_CARD_MAX_DIGITS)
            {
              pd_card_wipe (digits, PD_CARD_DIGITS_SIZE);
              g_set_error_literal (error, PD_CARD_ERROR, PD_CARD_ERROR_LENGTH,
                                   _("The card number is too long"));
              return FALSE;
            }
          digits[n++] = *p++;
        }
      else if (match_separator (p, &len))
        p += len;
      else
        {
          pd_card_wipe (digits, PD_CARD_DIGITS_SIZE);
          g_set_error_literal (error, PD_CARD_ERROR, PD_CARD_ERROR_INVALID_CHARACTER,
                               _("A card number has only digits, spaces and dashes"));
          return FALSE;
        }
    }
  digits[n] = '\0';

  if (n == 0)
    {
      g_set_error_literal (error, PD_CARD_ERROR, PD_CARD_ERROR_EMPTY,
                           _("Enter the card number"));
      return FALSE;
    }

  return TRUE;
}

/**
 * pd_card_detect_brand:
 * @digits: a normalised number, whole or as far as it has been typed
 *
 * The brand every number starting with @digits belongs to, so the form can
 * show it while the number is typed ("4" is Visa, "6" could be three
 * brands); PD_CARD_BRAND_UNKNOWN when that is not settled yet or the prefix
 * is no brand's.
 */
PdCardBrand
pd_card_detect_brand (const char *digits)
{
  guint32 low = 0;
  guint32 span = 1;
  guint n = 0;

  if (digits == NULL)
    return PD_CARD_BRAND_UNKNOWN;

  for (; n < PREFIX_DIGITS && g_ascii_isdigit (digits[n]); n++)
    low = low * 10 + (guint32) (digits[n] - '0');
  if (n == 0 || (n < PREFIX_DIGITS && digits[n] != '\0'))
    return PD_CARD_BRAND_UNKNOWN;

  for (guint i = n; i < PREFIX_DIGITS; i++)
    {
      low *= 10;
      span *= 10;
    }

  /* Every completion of the prefix, low to low + span - 1, in one range. */
  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (low >= prefixes[i].low && low + span - 1 <= prefixes[i].high)
      return prefixes[i].brand;

  return PD_CARD_BRAND_UNKNOWN;
}

/**
 * pd_card_validate_number:
 * @digits: a normalised number
 * @brand: (out) (optional): its brand, when it is valid
 *
 * A known brand, a length that brand issues, and a Luhn check digit that
 * matches, checked in that order.
 */
gboolean
pd_card_validate_number (const char   *digits,
                         PdCardBrand  *brand,
                         GError      **error)
{
  PdCardBrand detected;
  gsize length;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (digits == NULL || digits[0] == '\0')
    {
      g_set_error_literal (error, PD_CARD_ERROR, PD_CARD_ERROR_EMPTY,
                           _("Enter the card number"));
      return FALSE;
    }

  length = strlen (digits);
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isdigit (digits[i]))
      {
        g_set_error_literal (error, PD_CARD_ERROR, PD_CARD_ERROR_INVALID_CHARACTER,
                             _("A card number has only digits, spaces and dashes"));
        return FALSE;
      }

  detected = length >= PREFIX_DIGITS ? pd_card_detect_brand (digits) : PD_CARD_BRAND_UNKNOWN;
  if (detected == PD_CARD_BRAND_UNKNOWN)
    {
      if (length < PREFIX_DIGITS)
        g_set_error_literal (error, PD_CARD_ERROR, PD_CARD_ERROR_LENGTH,
                             _("The card number is too short"));
      else
        g_set_error_literal (error, PD_CARD_ERROR, PD_CARD_ERROR_UNKNOWN_BRAND,
                             _("This type of card is not accepted"));
      return FALSE;
    }

  if (!pd_card_brand_accepts_length (detected, length))
    {
      /* Translators: %s is a card brand, "Visa" */
      g_set_error (error, PD_CARD_ERROR, PD_CARD_ERROR_LENGTH,
                   _("The number has the wrong number of digits for a %s card"),
                   pd_card_brand_get_label (detected));
      return FALSE;
    }

  if (!pd_luhn_valid (digits))
    {
      g_set_error_literal (error, PD_CARD_ERROR, PD_CARD_ERROR_CHECKSUM,
                           _("The card number is not valid: check it for a typing mistake"));
      return FALSE;
    }

  if (brand != NULL)
    *brand = detected;
  return TRUE;
}

/* pd_card_normalize() then pd_card_validate_number(); @digits is wiped on error. */
gboolean
pd_card_parse_number (const char   *input,
                      char          digits[PD_CARD_DIGITS_SIZE],
                      PdCardBrand  *brand,
                      GError      **error)
{
  if (!pd_card_normalize (input, digits, error))
    return FALSE;

  if (!pd_card_validate_number (digits, brand, error))
    {
      pd_card_wipe (digits, PD_CARD_DIGITS_SIZE);
      return FALSE;
    }

  return TRUE;
}

/* Exactly the brand's number of digits; 3 or 4 when the brand is unknown. */
gboolean
pd_card_validate_cvv (const char   *cvv,
                      PdCardBrand   brand,
                      GError      **error)
{
  guint expected;
  gsize length = 0;

  g_return_val_if_fail (brand_is_valid (brand), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  expected = pd_card_brand_cvv_length (brand);

  for (; cvv != NULL && cvv[length] != '\0'; length++)
    if (!g_ascii_isdigit (cvv[length]) || length == 4)
      break;

  if (cvv != NULL && cvv[length] == '\0' &&
      (expected != 0 ? length == expected : (length == 3 || length == 4)))
    return TRUE;

  if (expected == 0)
    g_set_error_literal (error, PD_CARD_ERROR, PD_CARD_ERROR_CVV,
                         _("The security code has 3 or 4 digits"));
  else
    g_set_error (error, PD_CARD_ERROR, PD_CARD_ERROR_CVV,
                 g_dngettext (GETTEXT_PACKAGE,
                              "The security code has %u digit",
                              "The security code has %u digits",
                              expected),
                 expected);
  return FALSE;
}

/**
 * pd_card_format_grouped:
 * @digits: a normalised number, whole or partly typed
 * @grouped: (out caller-allocates): "3782 822463 10005", "4111 11"
 *
 * The number grouped as its brand prints it, for the entry it is typed in:
 * @grouped holds the full number too, so it is wiped like it.
 */
void
pd_card_format_grouped (const char *digits,
                        char        grouped[PD_CARD_GROUPED_SIZE])
{
  guint groups[PD_CARD_MAX_GROUPS];
  guint n_groups;
  gsize length;
  gsize out = 0;
  gsize in = 0;

  g_return_if_fail (grouped != NULL);

  grouped[0] = '\0';
  if (digits == NULL)
    return;

  length = MIN (strlen (digits), PD_CARD_MAX_DIGITS);
  n_groups = pd_card_brand_grouping (pd_card_detect_brand (digits), length, groups);

  for (guint g = 0; in < length; g++)
    {
      guint size = g < n_groups ? groups[g] : length - in;

      if (g > 0)
        grouped[out++] = ' ';
      for (guint i = 0; i < size && in < length; i++)
        grouped[out++] = digits[in++];
    }
  grouped[out] = '\0';
}

/* "1"–"12" or "01"–"12". */
static gboolean
parse_month (const char *text,
             guint      *month)
{
  gsize length = text != NULL ? strlen (text) : 0;
  guint value = 0;

  if (length < 1 || length > 2)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      value = value * 10 + (guint) (text[i] - '0');
    }

  *month = value;
  return value >= 1 && value <= 12;
}

/* "YY" or "YYYY"; a two-digit year is taken in the century that puts it
 * closest to @now_year. */
static gboolean
parse_year (const char *text,
            guint       now_year,
            guint      *year)
{
  gsize length = text != NULL ? strlen (text) : 0;
  guint value = 0;

  if (length != 2 && length != 4)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      value = value * 10 + (guint) (text[i] - '0');
    }

  if (length == 2)
    {
      value += now_year - now_year % 100;
      if (value + 50 < now_year)
        value += 100;
      else if (value > now_year + 50)
        value -= 100;
    }

  *year = value;
  return TRUE;
}

/**
 * pd_card_expiry_parse:
 * @now: (nullable): the time to judge expiry against; the current local
 *   time when NULL
 *
 * A card is valid to the last day of its expiry month, so this month is
 * fine and last month is expired. More than 20 years ahead is refused too:
 * no card is issued for that long, so it is a typing mistake.
 */
gboolean
pd_card_expiry_parse (const char    *month,
                      const char    *year,
                      GDateTime     *now,
                      PdCardExpiry  *expiry,
                      GError       **error)
{
  g_autoptr(GDateTime) current = NULL;
  guint now_month;
  guint now_year;
  guint value_month;
  guint value_year;
  gint64 months_ahead;

  g_return_val_if_fail (expiry != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (now == NULL)
    now = current = g_date_time_new_now_local ();
  now_month = (guint) g_date_time_get_month (now);
  now_year = (guint) g_date_time_get_year (now);

  if (!parse_month (month, &value_month) || !parse_year (year, now_year, &value_year))
    {
      g_set_error_literal (error, PD_CARD_ERROR, PD_CARD_ERROR_EXPIRY_FORMAT,
                           _("Enter the expiry month as 1 to 12 and the year as YY or YYYY"));
      return FALSE;
    }

  months_ahead = ((gint64) value_year * 12 + value_month) - ((gint64) now_year * 12 + now_month);
  if (months_ahead < 0)
    {
      g_set_error_literal (error, PD_CARD_ERROR, PD_CARD_ERROR_EXPIRED,
                           _("The card has expired"));
      return FALSE;
    }
  if (months_ahead > 20 * 12)
    {
      g_set_error_literal (error, PD_CARD_ERROR, PD_CARD_ERROR_EXPIRY_TOO_FAR,
                           _("The expiry date is more than 20 years ahead"));
      return FALSE;
    }

  expiry->month = value_month;
  expiry->year = value_year;
  return TRUE;
}

/* "MM/YY" or "MM/YYYY" from one entry, with spaces allowed around the '/'. */
gboolean
pd_card_expiry_parse_text (const char    *text,
                           GDateTime     *now,
                           PdCardExpiry  *expiry,
                           GError       **error)
{
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (text != NULL)
    parts = g_strsplit (text, "/", -1);

  if (parts == NULL || g_strv_length (parts) != 2)
    {
      g_set_error_literal (error, PD_CARD_ERROR, PD_CARD_ERROR_EXPIRY_FORMAT,
                           _("Enter the expiry date as MM/YY"));
      return FALSE;
    }

  return pd_card_expiry_parse (g_strstrip (parts[0]), g_strstrip (parts[1]), now, expiry, error);
}

/* The spec's exp_month ("05") and exp_year ("2027"). */
void
pd_card_expiry_to_wire (const PdCardExpiry *expiry,
                        char                month[3],
                        char                year[5])
{
  g_return_if_fail (expiry != NULL);
  g_return_if_fail (expiry->month >= 1 && expiry->month <= 12 && expiry->year <= 9999);

  g_snprintf (month, 3, "%02u", expiry->month);
  g_snprintf (year, 5, "%04u", expiry->year);
}

static gboolean
all_digits (const char *text,
            gsize      *length)
{
  gsize n = 0;

  if (text == NULL)
    return FALSE;
  for (; text[n] != '\0'; n++)
    if (!g_ascii_isdigit (text[n]))
      return FALSE;

  *length = n;
  return TRUE;
}

/* The shortest number any brand issues: fewer digits are no card's, and
 * showing four of them would show too much. */
#define MIN_CARD_DIGITS 12

/**
 * pd_card_mask:
 * @digits: a normalised number
 *
 * "411111••••••1111": the last four and at most the first six digits, and
 * never fewer than six hidden (a 15-digit American Express shows its first
 * five). Anything that is not a card number masks to "••••".
 */
char *
pd_card_mask (const char *digits)
{
  GString *masked;
  gsize length;
  gsize first;

  if (!all_digits (digits, &length) || length < MIN_CARD_DIGITS || length > PD_CARD_MAX_DIGITS)
    return g_strdup (BULLET BULLET BULLET BULLET);

  first = MIN (6, length - 4 - 6);
  masked = g_string_new_len (digits, first);
  for (gsize i = first; i < length - 4; i++)
    g_string_append (masked, BULLET);
  g_string_append (masked, digits + length - 4);

  return g_string_free (masked, FALSE);
}

/**
 * pd_card_mask_short:
 * @digits: a normalised number, or the four last digits kept in the ledger
 *
 * "•••• 1111", or "••••" for anything else.
 */
char *
pd_card_mask_short (const char *digits)
{
  gsize length;

  if (!all_digits (digits, &length) ||
      (length != 4 && (length < MIN_CARD_DIGITS || length > PD_CARD_MAX_DIGITS)))
    return g_strdup (BULLET BULLET BULLET BULLET);

  return g_strconcat (BULLET BULLET BULLET BULLET " ", digits + length - 4, NULL);
}

/* The last four digits of a whole number, which the ledger may keep. */
gboolean
pd_card_last_four (const char *digits,
                   char        last_four[5])
{
  gsize length;

  g_return_val_if_fail (last_four != NULL, FALSE);

  last_four[0] = '\0';
  if (!all_digits (digits, &length) || length < MIN_CARD_DIGITS || length > PD_CARD_MAX_DIGITS)
    return FALSE;

  memcpy (last_four, digits + length - 4, 5);
  return TRUE;
}

/* Zeroes @data in a way the compiler may not drop as a dead store. */
void
pd_card_wipe (void  *data,
              gsize  size)
{
  if (data != NULL)
    explicit_bzero (data, size);
}

/* Wipes and frees a string that held a card number or CVV; NULL is fine. */
void
pd_card_wipe_string (char *secret)
{
  if (secret == NULL)
    return;

  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}
