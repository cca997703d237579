/* pd-money.c
 *
 * Amounts are gint64 minor units of an ISO 4217 currency. Every conversion
 * from text or JSON is exact and refuses what it cannot represent (a third
 * decimal of a dollar, a negative amount, a number past G_MAXINT64 cents)
 * instead of rounding; every conversion to text is done with integers.
 */
#define G_LOG_DOMAIN "pd-money"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <limits.h>
#include <locale.h>
#include <string.h>

#include "pd-decimal.h"
#include "pd-iso4217.h"
#include "pd-money.h"

G_DEFINE_QUARK (pd-money-error-quark, pd_money_error)

G_DEFINE_BOXED_TYPE (PdMoney, pd_money, pd_money_copy, pd_money_free)

/* The few symbols nobody misreads; every other currency shows its code.
 * A bare "$" is a dozen currencies, so the dollar is "US$". */
static const struct
{
  const char *code;
  const char *symbol;
} symbols[] = {
  { "EUR", "€" },
  { "GBP", "£" },
  { "JPY", "¥" },
  { "KES", "KSh" },
  { "MZN", "MT" },
  { "USD", "US$" },
};

/* Written between digits as grouping, and trimmed around an amount. */
static const char * const spaces[] = { " ", "\u00a0", "\u202f", "\u2009", "\t" };

#define NBSP "\u00a0"

PdMoney *
pd_money_copy (const PdMoney *money)
{
  PdMoney *copy;

  g_return_val_if_fail (money != NULL, NULL);

  copy = g_new (PdMoney, 1);
  *copy = *money;
  return copy;
}

void
pd_money_free (PdMoney *money)
{
  g_free (money);
}

gboolean
pd_money_currency_is_known (const char *code)
{
  return pd_iso4217_lookup (code) != NULL;
}

/* The number of decimals of @code (JPY 0, USD 2, KWD 3), or -1 for a code
 * that is not in the table. */
int
pd_money_currency_exponent (const char *code)
{
  const PdIso4217 *entry = pd_iso4217_lookup (code);

  return entry != NULL ? entry->exponent : -1;
}

/* The translated name ("Kenyan Shilling"), or NULL for an unknown code. */
const char *
pd_money_currency_name (const char *code)
{
  const PdIso4217 *entry = pd_iso4217_lookup (code);

  return entry != NULL ? g_dgettext (GETTEXT_PACKAGE, entry->name) : NULL;
}

/* Every known code, sorted, for a currency picker. */
GStrv
pd_money_currency_codes (void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const PdIso4217 *table;
  guint n_entries;

  table = pd_iso4217_table (&n_entries);
  for (guint i = 0; i < n_entries; i++)
    g_strv_builder_add (builder, table[i].code);

  return g_strv_builder_end (builder);
}

static const PdIso4217 *
lookup_currency (const char  *code,
                 GError     **error)
{
  const PdIso4217 *entry = pd_iso4217_lookup (code);
  gboolean printable = code != NULL && code[0] != '\0' && strlen (code) <= 3;

  if (entry != NULL)
    return entry;

  for (const char *p = code; printable && *p != '\0'; p++)
    printable = g_ascii_isalnum (*p);

  if (printable)
    g_set_error (error, PD_MONEY_ERROR, PD_MONEY_ERROR_UNKNOWN_CURRENCY,
                 _("Unknown currency “%s”"), code);
  else
    g_set_error_literal (error, PD_MONEY_ERROR, PD_MONEY_ERROR_UNKNOWN_CURRENCY,
                         _("Unknown currency"));
  return NULL;
}

static void
set_too_precise_error (const PdIso4217  *currency,
                       GError          **error)
{
  if (currency->exponent == 0)
    g_set_error (error, PD_MONEY_ERROR, PD_MONEY_ERROR_TOO_PRECISE,
                 _("%s amounts have no decimals"), currency->code);
  else
    g_set_error (error, PD_MONEY_ERROR, PD_MONEY_ERROR_TOO_PRECISE,
                 g_dngettext (GETTEXT_PACKAGE,
                              "%s amounts have at most %u decimal",
                              "%s amounts have at most %u decimals",
                              currency->exponent),
                 currency->code, (guint) currency->exponent);
}

/* @invalid_message is the message for PD_DECIMAL_SYNTAX. */
static gboolean
check_decimal_status (PdDecimalStatus    status,
                      const PdIso4217   *currency,
                      const char        *invalid_message,
                      GError           **error)
{
  switch (status)
    {
    case PD_DECIMAL_OK:
      return TRUE;
    case PD_DECIMAL_EMPTY:
      g_set_error_literal (error, PD_MONEY_ERROR, PD_MONEY_ERROR_EMPTY,
                           _("Enter an amount"));
      return FALSE;
    case PD_DECIMAL_SYNTAX:
      g_set_error_literal (error, PD_MONEY_ERROR, PD_MONEY_ERROR_INVALID, invalid_message);
      return FALSE;
    case PD_DECIMAL_NEGATIVE:
      g_set_error_literal (error, PD_MONEY_ERROR, PD_MONEY_ERROR_NEGATIVE,
                           _("The amount cannot be negative"));
      return FALSE;
    case PD_DECIMAL_TOO_PRECISE:
      set_too_precise_error (currency, error);
      return FALSE;
    case PD_DECIMAL_OVERFLOW:
      g_set_error_literal (error, PD_MONEY_ERROR, PD_MONEY_ERROR_OVERFLOW,
                           _("The amount is too large"));
      return FALSE;
    case PD_DECIMAL_NOT_FINITE:
      g_set_error_literal (error, PD_MONEY_ERROR, PD_MONEY_ERROR_NOT_FINITE,
                           _("The amount is not a finite number"));
      return FALSE;
    default:
      g_assert_not_reached ();
    }
}

/* "NaN", "inf", "Infinity": what printf and JavaScript write for doubles
 * that are not amounts. */
static gboolean
is_not_finite_word (const char *text)
{
  return g_ascii_strcasecmp (text, "nan") == 0 ||
         g_ascii_strcasecmp (text, "inf") == 0 ||
         g_ascii_strcasecmp (text, "infinity") == 0;
}

gboolean
pd_money_init (PdMoney     *money,
               gint64       minor,
               const char  *currency,
               GError     **error)
{
  const PdIso4217 *entry;

  g_return_val_if_fail (money != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  entry = lookup_currency (currency, error);
  if (entry == NULL)
    return FALSE;

  money->minor = minor;
  memcpy (money->currency, entry->code, sizeof money->currency);
  return TRUE;
}

gboolean
pd_money_equal (const PdMoney *a,
                const PdMoney *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return a->minor == b->minor && strcmp (a->currency, b->currency) == 0;
}

/**
 * pd_money_parse_decimal:
 * @text: plain decimal text with a '.' mark, as gateways send it ("12345.67",
 *   "100", "0.5"); no sign, spaces, grouping or exponent
 *
 * Reads an amount the way PaysGator's wallet `balance` and other wire
 * strings write it.
 */
gboolean
pd_money_parse_decimal (const char  *text,
                        const char  *currency,
                        PdMoney     *money,
                        GError     **error)
{
  const PdIso4217 *entry;
  PdDecimalStatus status;
  gint64 minor = 0;

  g_return_val_if_fail (money != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  entry = lookup_currency (currency, error);
  if (entry == NULL)
    return FALSE;

  if (text != NULL && is_not_finite_word (text))
    status = PD_DECIMAL_NOT_FINITE;
  else
    status = pd_decimal_parse (text, '.', entry->exponent, &minor);

  if (!check_decimal_status (status, entry, _("Not a valid amount"), error))
    return FALSE;

  money->minor = minor;
  memcpy (money->currency, entry->code, sizeof money->currency);
  return TRUE;
}

/**
 * pd_money_from_json_node:
 * @node: (nullable): an integer, a double or a numeric string
 *
 * Integers are scaled exactly; doubles are read as their shortest decimal
 * text (json-glib has turned "100.10" into 100.09999999999999, which reads
 * back as "100.1"); strings as pd_money_parse_decimal() reads them.
 */
gboolean
pd_money_from_json_node (JsonNode    *node,
                         const char  *currency,
                         PdMoney     *money,
                         GError     **error)
{
  const PdIso4217 *entry;
  PdDecimalStatus status;
  gint64 minor = 0;
  GType type;

  g_return_val_if_fail (money != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  entry = lookup_currency (currency, error);
  if (entry == NULL)
    return FALSE;

  type = node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  if (type == G_TYPE_STRING)
    return pd_money_parse_decimal (json_node_get_string (node), currency, money, error);

  if (type == G_TYPE_INT64)
    {
      gint64 value = json_node_get_int (node);

      status = PD_DECIMAL_OK;
      minor = value;
      if (value < 0)
        status = PD_DECIMAL_NEGATIVE;
      for (guint i = 0; status == PD_DECIMAL_OK && i < entry->exponent; i++)
        {
          if (minor > G_MAXINT64 / 10)
            status = PD_DECIMAL_OVERFLOW;
          else
            minor *= 10;
        }
    }
  else if (type == G_TYPE_DOUBLE)
    {
      status = pd_decimal_from_double (json_node_get_double (node), entry->exponent, &minor);
    }
  else
    {
      g_set_error_literal (error, PD_MONEY_ERROR, PD_MONEY_ERROR_NOT_A_NUMBER,
                           _("The amount is not a number"));
      return FALSE;
    }

  if (!check_decimal_status (status, entry, _("Not a valid amount"), error))
    return FALSE;

  money->minor = minor;
  memcpy (money->currency, entry->code, sizeof money->currency);
  return TRUE;
}

/* "100.10", "1200", "5.000": exact, with a '.' mark, for request bodies. */
char *
pd_money_to_wire (const PdMoney *money)
{
  const PdIso4217 *entry;
  char buf[PD_DECIMAL_BUF_SIZE];

  g_return_val_if_fail (money != NULL, NULL);

  entry = pd_iso4217_lookup (money->currency);
  g_return_val_if_fail (entry != NULL, NULL);

  return g_strdup (pd_decimal_format (money->minor, entry->exponent, buf));
}

/* Appends @money to a JSON text being written as a number (100.10), the
 * digits json-glib's double writer would not keep. */
void
pd_money_append_json (GString       *json,
                      const PdMoney *money)
{
  const PdIso4217 *entry;
  char buf[PD_DECIMAL_BUF_SIZE];

  g_return_if_fail (json != NULL);
  g_return_if_fail (money != NULL);

  entry = pd_iso4217_lookup (money->currency);
  g_return_if_fail (entry != NULL);

  g_string_append (json, pd_decimal_format (money->minor, entry->exponent, buf));
}

/* Copies a locale string into @dest as UTF-8; FALSE when it does not fit. */
static gboolean
copy_locale_string (char       *dest,
                    gsize       dest_size,
                    const char *value)
{
  g_autofree char *utf8 = NULL;

  if (value == NULL)
    return FALSE;
  if (!g_utf8_validate (value, -1, NULL))
    {
      utf8 = g_locale_to_utf8 (value, -1, NULL, NULL, NULL);
      if (utf8 == NULL)
        return FALSE;
      value = utf8;
    }

  return g_strlcpy (dest, value, dest_size) < dest_size;
}

/* Marks of LC_MONETARY where it has them, of LC_NUMERIC otherwise (the C
 * locale has no monetary marks). */
void
pd_money_conventions_from_locale (PdMoneyConventions *conventions)
{
  const struct lconv *lc = localeconv ();
  gboolean monetary = lc->mon_decimal_point != NULL && lc->mon_decimal_point[0] != '\0';

  g_return_if_fail (conventions != NULL);

  memset (conventions, 0, sizeof *conventions);

  if (!copy_locale_string (conventions->decimal_mark, sizeof conventions->decimal_mark,
                           monetary ? lc->mon_decimal_point : lc->decimal_point) ||
      conventions->decimal_mark[0] == '\0')
    g_strlcpy (conventions->decimal_mark, ".", sizeof conventions->decimal_mark);

  if (!copy_locale_string (conventions->group_separator, sizeof conventions->group_separator,
                           monetary ? lc->mon_thousands_sep : lc->thousands_sep) ||
      strcmp (conventions->group_separator, conventions->decimal_mark) == 0)
    conventions->group_separator[0] = '\0';

  if (g_strlcpy (conventions->grouping, monetary ? lc->mon_grouping : lc->grouping,
                 sizeof conventions->grouping) >= sizeof conventions->grouping)
    conventions->grouping[0] = '\0';

  /* CHAR_MAX (unspecified, as in the C locale) counts as before. */
  conventions->symbol_first = lc->p_cs_precedes != 0;
}

/* The size of group @index counted from the decimal mark, or 0 when the
 * digits left of the previous group are not split any further. */
static guint
group_size (const char *grouping,
            guint       index)
{
  guint last = 0;

  for (guint i = 0; i < 8; i++)
    {
      if (grouping[i] == '\0')
        return last;
      if (grouping[i] < 0 || grouping[i] == CHAR_MAX)
        return 0;
      last = (guint) grouping[i];
      if (i == index)
        return last;
    }
  return last;
}

static const char *
currency_symbol (const char *code)
{
  for (guint i = 0; i < G_N_ELEMENTS (symbols); i++)
    if (strcmp (symbols[i].code, code) == 0)
      return symbols[i].symbol;
  return NULL;
}

/**
 * pd_money_to_display:
 * @conventions: (nullable): the current locale's when NULL
 *
 * Text for the user: "US$1,234.56", "1.234,56 €", "-KES 5.00", "¥1,200".
 * With PD_MONEY_DISPLAY_NO_CURRENCY | PD_MONEY_DISPLAY_NO_GROUPING it is the
 * text an amount entry starts with, which pd_money_parse_user_text() reads
 * back to the same amount.
 */
char *
pd_money_to_display (const PdMoney             *money,
                     PdMoneyDisplayFlags        flags,
                     const PdMoneyConventions  *conventions)
{
  PdMoneyConventions current;
  const PdIso4217 *entry;
  char buf[PD_DECIMAL_BUF_SIZE];
  gboolean split_before[PD_DECIMAL_BUF_SIZE] = { FALSE, };
  const char *digits;
  const char *label;
  gsize int_len;
  GString *number;
  GString *text;

  g_return_val_if_fail (money != NULL, NULL);

  entry = pd_iso4217_lookup (money->currency);
  g_return_val_if_fail (entry != NULL, NULL);

  if (conventions == NULL)
    {
      pd_money_conventions_from_locale (&current);
      conventions = &current;
    }

  pd_decimal_format (money->minor, entry->exponent, buf);
  digits = money->minor < 0 ? buf + 1 : buf;
  int_len = strcspn (digits, ".");

  if (!(flags & PD_MONEY_DISPLAY_NO_GROUPING) && conventions->group_separator[0] != '\0')
    {
      gsize pos = int_len;

      for (guint index = 0;; index++)
        {
          guint size = group_size (conventions->grouping, index);

          if (size == 0 || pos <= size)
            break;
          pos -= size;
          split_before[pos] = TRUE;
        }
    }

  number = g_string_new (NULL);
  for (gsize i = 0; i < int_len; i++)
    {
      if (split_before[i])
        g_string_append (number, conventions->group_separator);
      g_string_append_c (number, digits[i]);
    }
  if (digits[int_len] == '.')
    {
      g_string_append (number, conventions->decimal_mark);
      g_string_append (number, digits + int_len + 1);
    }

  text = g_string_new (money->minor < 0 ? "-" : NULL);

  if (flags & PD_MONEY_DISPLAY_NO_CURRENCY)
    {
      g_string_append (text, number->str);
    }
  else
    {
      const char *symbol = (flags & PD_MONEY_DISPLAY_CODE) ? NULL : currency_symbol (entry->code);

      label = symbol != NULL ? symbol : entry->code;
      if (conventions->symbol_first)
        {
          /* "€5" and "US$5" but "KSh 5" and "USD 5": letters need the space. */
          g_string_append (text, label);
          if (g_ascii_isalpha (label[strlen (label) - 1]))
            g_string_append (text, NBSP);
          g_string_append (text, number->str);
        }
      else
        {
          g_string_append_printf (text, "%s" NBSP "%s", number->str, label);
        }
    }

  g_string_free (number, TRUE);
  return g_string_free (text, FALSE);
}

typedef enum
{
  SEP_MARK,   /* the locale's decimal mark */
  SEP_DOT,    /* '.' when it is not the locale's mark */
  SEP_COMMA,  /* ',' when it is not the locale's mark */
  SEP_SPACE,  /* any of spaces[] */
  SEP_OTHER,  /* the locale's group separator when it is none of the above */
} SepKind;

/* User text cut into digit runs and the separators between them:
 * runs[i], seps[i], runs[i + 1], ... */
typedef struct
{
  GArray  *runs;   /* GString *, n_seps + 1 of them */
  GArray  *seps;   /* SepKind */
  SepKind  group_kind;
} Tokens;

static void
clear_run (gpointer data)
{
  g_string_free (*(GString **) data, TRUE);
}

static gboolean
match_space (const char *p,
             gsize      *len)
{
  for (guint i = 0; i < G_N_ELEMENTS (spaces); i++)
    if (g_str_has_prefix (p, spaces[i]))
      {
        *len = strlen (spaces[i]);
        return TRUE;
      }
  return FALSE;
}

static gboolean
match_separator (const char               *p,
                 const PdMoneyConventions *conventions,
                 SepKind                  *kind,
                 gsize                    *len)
{
  if (g_str_has_prefix (p, conventions->decimal_mark))
    {
      *kind = SEP_MARK;
      *len = strlen (conventions->decimal_mark);
      return TRUE;
    }

  *len = 1;
  if (*p == '.')
    *kind = SEP_DOT;
  else if (*p == ',')
    *kind = SEP_COMMA;
  else if (match_space (p, len))
    *kind = SEP_SPACE;
  else if (conventions->group_separator[0] != '\0' &&
           g_str_has_prefix (p, conventions->group_separator))
    {
      *kind = SEP_OTHER;
      *len = strlen (conventions->group_separator);
    }
  else
    return FALSE;

  return TRUE;
}

/* Cuts @text (trimmed, non-empty, valid UTF-8) into Tokens; FALSE at the
 * first character that is neither a digit nor a separator. */
static gboolean
tokenize (const char               *text,
          const PdMoneyConventions *conventions,
          Tokens                   *tokens)
{
  GString *run = g_string_new (NULL);
  gsize len;

  g_array_append_val (tokens->runs, run);

  if (conventions->group_separator[0] == '\0' ||
      !match_separator (conventions->group_separator, conventions, &tokens->group_kind, &len))
    tokens->group_kind = SEP_SPACE;

  for (const char *p = text; *p != '\0';)
    {
      SepKind kind;

      if (g_ascii_isdigit (*p))
        {
          g_string_append_c (run, *p++);
          continue;
        }
      if (!match_separator (p, conventions, &kind, &len))
        return FALSE;

      g_array_append_val (tokens->seps, kind);
      run = g_string_new (NULL);
      g_array_append_val (tokens->runs, run);
      p += len;
    }

  return TRUE;
}

#define READING_MALFORMED (-1)

/* Reads @tokens with separator @decimal (or none, when -1) as the decimal
 * mark and every other one as grouping: a PdDecimalStatus, or
 * READING_MALFORMED when the separators are not laid out as the grouping
 * says. */
static int
try_reading (const Tokens             *tokens,
             int                       decimal,
             const PdMoneyConventions *conventions,
             guint                     exponent,
             gint64                   *minor)
{
  const char *grouping = conventions->grouping;
  guint n_seps = tokens->seps->len;
  guint n_int_runs = decimal >= 0 ? (guint) decimal + 1 : n_seps + 1;
  g_autoptr(GString) plain = g_string_new (NULL);
  int group_kind = -1;

  /* Spaces group thousands even where the locale does not group. */
  if (group_size (grouping, 0) == 0)
    grouping = "\3";

  for (guint i = 0; i < n_seps; i++)
    {
      SepKind kind = g_array_index (tokens->seps, SepKind, i);

      if ((int) i == decimal)
        continue;
      if (kind != SEP_SPACE && (kind != tokens->group_kind || kind == SEP_MARK))
        return READING_MALFORMED;
      if (group_kind != -1 && (int) kind != group_kind)
        return READING_MALFORMED;
      if (decimal >= 0 && kind == g_array_index (tokens->seps, SepKind, decimal))
        return READING_MALFORMED;
      group_kind = kind;
    }

  for (guint i = 0; i < n_int_runs; i++)
    {
      const GString *run = g_array_index (tokens->runs, GString *, i);
      guint size = group_size (grouping, n_int_runs - 1 - i);

      if (n_int_runs > 1)
        {
          /* The leftmost group may be shorter; the others are exact. */
          if (run->len == 0 || (i > 0 && run->len != size) || (size != 0 && run->len > size))
            return READING_MALFORMED;
        }
      g_string_append_len (plain, run->str, run->len);
    }

  if (decimal >= 0)
    {
      const GString *fraction = g_array_index (tokens->runs, GString *, decimal + 1);

      g_string_append_c (plain, '.');
      g_string_append_len (plain, fraction->str, fraction->len);
    }

  return pd_decimal_parse (plain->str, '.', exponent, minor);
}

static gboolean
set_user_text_error (PdDecimalStatus            status,
                     const PdIso4217           *currency,
                     const PdMoneyConventions  *conventions,
                     GError                   **error)
{
  g_autofree char *invalid_message = NULL;

  invalid_message = g_strdup_printf (_("Not an amount: write digits, and the decimals after “%s”"),
                                     conventions->decimal_mark);
  return check_decimal_status (status, currency, invalid_message, error);
}

static gsize
trimmed_start (const char *text)
{
  const char *p = text;
  gsize len;

  while (match_space (p, &len))
    p += len;
  return p - text;
}

static gsize
trimmed_length (const char *text)
{
  gsize end = strlen (text);
  gboolean trimmed = TRUE;

  while (trimmed && end > 0)
    {
      trimmed = FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (spaces); i++)
        {
          gsize len = strlen (spaces[i]);

          if (end >= len && memcmp (text + end - len, spaces[i], len) == 0)
            {
              end -= len;
              trimmed = TRUE;
              break;
            }
        }
    }
  return end;
}

/* Picks the reading of @tokens: the locale's decimal mark when there is one;
 * otherwise '.' as a decimal mark or as grouping, whichever is valid, and
 * PD_MONEY_ERROR_AMBIGUOUS when both are and they differ. */
static gboolean
read_tokens (const Tokens              *tokens,
             const PdMoneyConventions  *conventions,
             const PdIso4217           *currency,
             gint64                    *minor,
             GError                   **error)
{
  guint n_seps = tokens->seps->len;
  guint n_marks = 0;
  guint n_dots = 0;
  SepKind last = SEP_SPACE;
  int as_decimal = READING_MALFORMED;
  int as_grouping = READING_MALFORMED;
  gint64 minor_decimal = 0;
  gint64 minor_grouping = 0;

  for (guint i = 0; i < n_seps; i++)
    {
      last = g_array_index (tokens->seps, SepKind, i);
      n_marks += last == SEP_MARK;
      n_dots += last == SEP_DOT;
    }

  if (n_marks == 1 && last == SEP_MARK)
    as_decimal = try_reading (tokens, n_seps - 1, conventions, currency->exponent, &minor_decimal);
  else if (n_marks == 0)
    {
      if (n_dots == 1 && last == SEP_DOT)
        as_decimal = try_reading (tokens, n_seps - 1, conventions, currency->exponent, &minor_decimal);
      as_grouping = try_reading (tokens, -1, conventions, currency->exponent, &minor_grouping);
    }

  if (as_decimal == PD_DECIMAL_OK && as_grouping == PD_DECIMAL_OK && minor_decimal != minor_grouping)
    {
      g_set_error (error, PD_MONEY_ERROR, PD_MONEY_ERROR_AMBIGUOUS,
                   _("Ambiguous amount: write the decimals after “%s”"),
                   conventions->decimal_mark);
      return FALSE;
    }
  if (as_decimal == PD_DECIMAL_OK)
    {
      *minor = minor_decimal;
      return TRUE;
    }
  if (as_grouping == PD_DECIMAL_OK)
    {
      *minor = minor_grouping;
      return TRUE;
    }

  return set_user_text_error (as_decimal != READING_MALFORMED ? as_decimal :
                              as_grouping != READING_MALFORMED ? as_grouping :
                              PD_DECIMAL_SYNTAX,
                              currency, conventions, error);
}

/**
 * pd_money_parse_user_text:
 * @text: what the user typed: "1234.5", "1,234.50", "1 234,50", "٫5"
 * @conventions: (nullable): the current locale's when NULL
 *
 * Reads an amount written with the locale's decimal mark and, optionally,
 * its grouping separator or spaces placed as the locale groups digits.
 * Where the decimal mark is not '.', a '.' is read as one too, unless it
 * could as well be grouping ("1.500" in German): that is an error, never a
 * guess. Surrounding spaces are ignored.
 */
gboolean
pd_money_parse_user_text (const char                *text,
                          const char                *currency,
                          const PdMoneyConventions  *conventions,
                          PdMoney                   *money,
                          GError                   **error)
{
  PdMoneyConventions current;
  const PdIso4217 *entry;
  g_autofree char *trimmed = NULL;
  Tokens tokens;
  gint64 minor = 0;
  gboolean ok;

  g_return_val_if_fail (money != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  entry = lookup_currency (currency, error);
  if (entry == NULL)
    return FALSE;

  if (conventions == NULL)
    {
      pd_money_conventions_from_locale (&current);
      conventions = &current;
    }

  if (text == NULL)
    return set_user_text_error (PD_DECIMAL_EMPTY, entry, conventions, error);
  if (!g_utf8_validate (text, -1, NULL))
    return set_user_text_error (PD_DECIMAL_SYNTAX, entry, conventions, error);

  text += trimmed_start (text);
  trimmed = g_strndup (text, trimmed_length (text));

  if (trimmed[0] == '\0')
    return set_user_text_error (PD_DECIMAL_EMPTY, entry, conventions, error);
  if (trimmed[0] == '-' || g_str_has_prefix (trimmed, "\u2212"))
    return set_user_text_error (PD_DECIMAL_NEGATIVE, entry, conventions, error);
  if (is_not_finite_word (trimmed))
    return set_user_text_error (PD_DECIMAL_NOT_FINITE, entry, conventions, error);

  tokens.runs = g_array_new (FALSE, FALSE, sizeof (GString *));
  g_array_set_clear_func (tokens.runs, clear_run);
  tokens.seps = g_array_new (FALSE, FALSE, sizeof (SepKind));

  if (tokenize (trimmed, conventions, &tokens))
    ok = read_tokens (&tokens, conventions, entry, &minor, error);
  else
    ok = set_user_text_error (PD_DECIMAL_SYNTAX, entry, conventions, error);

  g_array_unref (tokens.runs);
  g_array_unref (tokens.seps);

  if (!ok)
    return FALSE;

  money->minor = minor;
  memcpy (money->currency, entry->code, sizeof money->currency);
  return TRUE;
}

static gboolean
check_same_currency (const PdMoney  *a,
                     const PdMoney  *b,
                     GError        **error)
{
  if (strcmp (a->currency, b->currency) == 0)
    return TRUE;

  g_set_error (error, PD_MONEY_ERROR, PD_MONEY_ERROR_CURRENCY_MISMATCH,
               _("Amounts in %s and %s cannot be combined"), a->currency, b->currency);
  return FALSE;
}

static gboolean
set_overflow_error (GError **error)
{
  g_set_error_literal (error, PD_MONEY_ERROR, PD_MONEY_ERROR_OVERFLOW,
                       _("The amount is too large"));
  return FALSE;
}

gboolean
pd_money_add (const PdMoney  *a,
              const PdMoney  *b,
              PdMoney        *sum,
              GError        **error)
{
  gint64 minor = 0;

  g_return_val_if_fail (a != NULL && b != NULL && sum != NULL, FALSE);

  if (!check_same_currency (a, b, error))
    return FALSE;
  if (__builtin_add_overflow (a->minor, b->minor, &minor))
    return set_overflow_error (error);

  *sum = *a;
  sum->minor = minor;
  return TRUE;
}

gboolean
pd_money_subtract (const PdMoney  *a,
                   const PdMoney  *b,
                   PdMoney        *difference,
                   GError        **error)
{
  gint64 minor = 0;

  g_return_val_if_fail (a != NULL && b != NULL && difference != NULL, FALSE);

  if (!check_same_currency (a, b, error))
    return FALSE;
  if (__builtin_sub_overflow (a->minor, b->minor, &minor))
    return set_overflow_error (error);

  *difference = *a;
  difference->minor = minor;
  return TRUE;
}

/* @result is negative, zero or positive as @a is less than, equal to or more
 * than @b; amounts in two currencies do not compare. */
gboolean
pd_money_compare (const PdMoney  *a,
                  const PdMoney  *b,
                  int            *result,
                  GError        **error)
{
  g_return_val_if_fail (a != NULL && b != NULL && result != NULL, FALSE);

  if (!check_same_currency (a, b, error))
    return FALSE;

  *result = (a->minor > b->minor) - (a->minor < b->minor);
  return TRUE;
}

/**
 * pd_money_fee:
 * @basis_points: hundredths of a percent: 250 is 2.5 %
 *
 * @amount × @basis_points / 10000, rounded half up to the minor unit
 * (2.5 % of 0.10 is 0.0025, which is 0.00; of 0.30 is 0.0075, which is 0.01).
 */
gboolean
pd_money_fee (const PdMoney  *amount,
              guint           basis_points,
              PdMoney        *fee,
              GError        **error)
{
  gint64 whole;
  guint64 rest;

  g_return_val_if_fail (amount != NULL && fee != NULL, FALSE);

  if (amount->minor < 0)
    return check_decimal_status (PD_DECIMAL_NEGATIVE, NULL, NULL, error);

  /* amount = whole × 10000 + remainder keeps the product inside 64 bits. */
  whole = amount->minor / 10000;
  rest = ((guint64) (amount->minor % 10000) * basis_points + 5000) / 10000;
  if (basis_points != 0 && whole > (G_MAXINT64 - (gint64) rest) / basis_points)
    return set_overflow_error (error);

  *fee = *amount;
  fee->minor = whole * basis_points + (gint64) rest;
  return TRUE;
}
