/* libFuzzer target: amounts from user text, decimal strings and JSON
 *
 * The first byte picks the currency and the writing conventions, the rest
 * is the text. Beyond not crashing, whatever is accepted must come back
 * unchanged through the text Paydesk writes for it.
 */
#define G_LOG_DOMAIN "fuzz-money"

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "pd-decimal.h"
#include "pd-money.h"

static const char * const currencies[] = { "USD", "JPY", "KWD", "CLF", "KES" };

static const PdMoneyConventions conventions[] = {
  { ".", "", "", TRUE },
  { ".", ",", "\3\3", TRUE },
  { ",", ".", "\3\3", FALSE },
  { ",", "\u202f", "\3", FALSE },
  { ".", ",", "\3\2", TRUE },
  { "\u066b", "\u066c", "\3", FALSE },
};

static void
check_user_text (const char               *text,
                 const char               *currency,
                 const PdMoneyConventions *convention)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *entry = NULL;
  g_autofree char *display = NULL;
  PdMoney money;
  PdMoney back;

  if (!pd_money_parse_user_text (text, currency, convention, &money, &error))
    {
      g_assert_true (error != NULL && error->domain == PD_MONEY_ERROR);
      return;
    }

  g_assert_cmpint (money.minor, >=, 0);
  entry = pd_money_to_display (&money, PD_MONEY_DISPLAY_NO_CURRENCY | PD_MONEY_DISPLAY_NO_GROUPING, convention);
  g_assert_true (pd_money_parse_user_text (entry, currency, convention, &back, NULL));
  g_assert_true (pd_money_equal (&money, &back));

  display = pd_money_to_display (&money, PD_MONEY_DISPLAY_DEFAULT, convention);
  g_assert_nonnull (display);
}

static void
check_decimal (const char *text,
               const char *currency)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *wire = NULL;
  PdMoney money;
  PdMoney back;

  if (!pd_money_parse_decimal (text, currency, &money, &error))
    {
      g_assert_true (error != NULL && error->domain == PD_MONEY_ERROR);
      return;
    }

  wire = pd_money_to_wire (&money);
  g_assert_true (pd_money_parse_decimal (wire, currency, &back, NULL));
  g_assert_true (pd_money_equal (&money, &back));
}

static void
check_json (const char *text,
            const char *currency)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  PdMoney money;

  /* Numbers are the point here, not json-glib's recursion on deep nesting. */
  if (strpbrk (text, "[{") != NULL)
    return;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, -1, NULL))
    return;

  if (pd_money_from_json_node (json_parser_get_root (parser), currency, &money, &error))
    g_assert_cmpint (money.minor, >=, 0);
  else
    g_assert_true (error != NULL && error->domain == PD_MONEY_ERROR);
}

/* The shortest text of any double reads back as that double. */
static void
check_double (const uint8_t *data,
              size_t         size,
              guint          exponent)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  double value;
  gint64 minor;

  if (size < sizeof value)
    return;
  memcpy (&value, data, sizeof value);

  pd_decimal_shortest (value, buf);
  if (value == value)
    g_assert_true (g_ascii_strtod (buf, NULL) == value);

  if (pd_decimal_from_double (value, exponent, &minor) == PD_DECIMAL_OK)
    g_assert_cmpint (minor, >=, 0);
}

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  const char *currency;
  guint selector;
  gint64 minor;

  if (size < 1)
    return 0;

  selector = data[0];
  currency = currencies[selector % G_N_ELEMENTS (currencies)];
  text = g_strndup ((const char *) data + 1, size - 1);

  /* One selector in seven reads the conventions of the process's locale. */
  selector /= G_N_ELEMENTS (currencies);
  check_user_text (text, currency,
                   selector % 7 == 6 ? NULL : &conventions[selector % 7 % G_N_ELEMENTS (conventions)]);
  check_decimal (text, currency);
  check_json (text, currency);
  check_double (data + 1, size - 1, (guint) pd_money_currency_exponent (currency));
  pd_decimal_parse (text, ',', data[0] % 5, &minor);

  return 0;
}
