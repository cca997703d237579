/* Tests for pd-money: exact amounts from and to text, JSON and the display */
#define G_LOG_DOMAIN "test-money"

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "pd-money.h"

#define NBSP  "\u00a0"
#define NNBSP "\u202f"

static const PdMoneyConventions c_conventions = { ".", "", "", TRUE };
static const PdMoneyConventions en_conventions = { ".", ",", "\3\3", TRUE };
static const PdMoneyConventions de_conventions = { ",", ".", "\3\3", FALSE };
static const PdMoneyConventions fr_conventions = { ",", NNBSP, "\3", FALSE };
static const PdMoneyConventions in_conventions = { ".", ",", "\3\2", TRUE };
static const PdMoneyConventions ar_conventions = { "\u066b", "\u066c", "\3", FALSE };

/* Locales built with localedef when the system has none installed. */
static GPtrArray *locale_dirs;

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (path);
}

/* Switches LC_ALL to @name ("de_DE") in UTF-8, compiling it first if the
 * system does not have it; FALSE when that is not possible here. Each
 * compiled locale gets a LOCPATH of its own: glibc remembers a name it did
 * not find in a directory, and would not look there again. */
static gboolean
use_locale (const char *name)
{
  g_autofree char *full = g_strconcat (name, ".UTF-8", NULL);
  g_autofree char *localedef = NULL;
  g_autofree char *output = NULL;
  char *dir;

  if (setlocale (LC_ALL, full) != NULL)
    return TRUE;

  localedef = g_find_program_in_path ("localedef");
  if (localedef == NULL)
    return FALSE;

  dir = g_dir_make_tmp ("paydesk-test-locale-XXXXXX", NULL);
  g_assert_nonnull (dir);
  g_ptr_array_add (locale_dirs, dir);

  output = g_build_filename (dir, full, NULL);
  {
    const char *argv[] = { localedef, "-i", name, "-f", "UTF-8", output, NULL };

    /* localedef exits non-zero on mere warnings: setlocale() has the last word. */
    g_spawn_sync (NULL, (char **) argv, NULL,
                  G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                  NULL, NULL, NULL, NULL, NULL, NULL);
  }

  g_setenv ("LOCPATH", dir, TRUE);
  return setlocale (LC_ALL, full) != NULL;
}

static void
restore_locale (void)
{
  setlocale (LC_ALL, "C.UTF-8");
}

static PdMoney
money (gint64      minor,
       const char *currency)
{
  PdMoney value;

  g_assert_true (pd_money_init (&value, minor, currency, NULL));
  return value;
}

/* A table row: @code -1 means the text parses to @minor. */
typedef struct
{
  const char *text;
  const char *currency;
  gint64      minor;
  int         code;
} ParseCase;

#define OK(text, currency, minor)   { text, currency, minor, -1 }
#define FAIL(text, currency, code)  { text, currency, 0, PD_MONEY_ERROR_ ## code }

static void
check_user_text_cases (const ParseCase           *cases,
                       gsize                      n_cases,
                       const PdMoneyConventions  *conventions)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autoptr(GError) error = NULL;
      PdMoney value = { -42, "" };
      gboolean ok;

      g_test_message ("case %" G_GSIZE_FORMAT ": “%s” %s", i, cases[i].text, cases[i].currency);
      ok = pd_money_parse_user_text (cases[i].text, cases[i].currency, conventions, &value, &error);
      if (cases[i].code < 0)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpint (value.minor, ==, cases[i].minor);
          g_assert_cmpstr (value.currency, ==, cases[i].currency);
        }
      else
        {
          g_assert_error (error, PD_MONEY_ERROR, cases[i].code);
          g_assert_false (ok);
          g_assert_cmpstr (error->message, !=, "");
          /* The money is untouched on error. */
          g_assert_cmpint (value.minor, ==, -42);
        }
    }
}

static void
test_currencies (void)
{
  g_auto(GStrv) codes = pd_money_currency_codes ();

  g_assert_true (pd_money_currency_is_known ("USD"));
  g_assert_true (pd_money_currency_is_known ("KES"));
  g_assert_true (pd_money_currency_is_known ("MZN"));
  g_assert_false (pd_money_currency_is_known ("usd"));
  g_assert_false (pd_money_currency_is_known ("XXX"));
  g_assert_false (pd_money_currency_is_known (NULL));

  g_assert_cmpint (pd_money_currency_exponent ("JPY"), ==, 0);
  g_assert_cmpint (pd_money_currency_exponent ("EUR"), ==, 2);
  g_assert_cmpint (pd_money_currency_exponent ("KWD"), ==, 3);
  g_assert_cmpint (pd_money_currency_exponent ("TND"), ==, 3);
  g_assert_cmpint (pd_money_currency_exponent ("BHD"), ==, 3);
  g_assert_cmpint (pd_money_currency_exponent ("ZZZ"), ==, -1);

  g_assert_cmpstr (pd_money_currency_name ("KES"), ==, "Kenyan Shilling");
  g_assert_cmpstr (pd_money_currency_name ("MZN"), ==, "Mozambican Metical");
  g_assert_null (pd_money_currency_name ("ZZZ"));

  g_assert_cmpuint (g_strv_length (codes), >, 150);
  for (guint i = 0; codes[i] != NULL; i++)
    {
      g_assert_true (pd_money_currency_is_known (codes[i]));
      g_assert_nonnull (pd_money_currency_name (codes[i]));
      if (i > 0)
        g_assert_cmpint (strcmp (codes[i - 1], codes[i]), <, 0);
    }
  g_assert_true (g_strv_contains ((const char * const *) codes, "EUR"));
  g_assert_true (g_strv_contains ((const char * const *) codes, "KES"));
}

static void
test_init (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdMoney) copy = NULL;
  PdMoney value = { 7, "ABC" };
  GValue gvalue = G_VALUE_INIT;

  g_assert_false (pd_money_init (&value, 100, "usd", &error));
  g_assert_error (error, PD_MONEY_ERROR, PD_MONEY_ERROR_UNKNOWN_CURRENCY);
  g_assert_nonnull (strstr (error->message, "usd"));
  g_assert_cmpint (value.minor, ==, 7);
  g_clear_error (&error);

  /* Junk is not repeated in the message. */
  g_assert_false (pd_money_init (&value, 100, "4111111111111111", &error));
  g_assert_error (error, PD_MONEY_ERROR, PD_MONEY_ERROR_UNKNOWN_CURRENCY);
  g_assert_null (strstr (error->message, "4111"));
  g_clear_error (&error);

  g_assert_false (pd_money_init (&value, 100, NULL, &error));
  g_assert_error (error, PD_MONEY_ERROR, PD_MONEY_ERROR_UNKNOWN_CURRENCY);
  g_clear_error (&error);

  g_assert_true (pd_money_init (&value, -5, "KWD", &error));
  g_assert_no_error (error);
  g_assert_cmpint (value.minor, ==, -5);
  g_assert_cmpstr (value.currency, ==, "KWD");

  copy = pd_money_copy (&value);
  g_assert_true (pd_money_equal (copy, &value));
  copy->minor = 6;
  g_assert_false (pd_money_equal (copy, &value));
  g_assert_false (pd_money_equal (&(PdMoney) { -5, "BHD" }, &value));

  g_value_init (&gvalue, PD_TYPE_MONEY);
  g_value_set_boxed (&gvalue, &value);
  g_assert_true (pd_money_equal (g_value_get_boxed (&gvalue), &value));
  g_value_unset (&gvalue);
}

static void
test_wire (void)
{
  g_autoptr(GString) json = g_string_new ("{\"amount\":");
  PdMoney value = money (10010, "USD");
  g_autofree char *wire = pd_money_to_wire (&value);
  g_autofree char *jpy = NULL;
  g_autofree char *kwd = NULL;
  g_autofree char *negative = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  PdMoney back;

  g_assert_cmpstr (wire, ==, "100.10");

  pd_money_append_json (json, &value);
  g_string_append (json, "}");
  g_assert_cmpstr (json->str, ==, "{\"amount\":100.10}");

  /* What json-glib makes of it reads back as the same amount. */
  g_assert_true (json_parser_load_from_data (parser, json->str, -1, NULL));
  g_assert_true (pd_money_from_json_node (json_object_get_member (json_node_get_object (json_parser_get_root (parser)), "amount"),
                                          "USD", &back, NULL));
  g_assert_true (pd_money_equal (&back, &value));

  value = money (1200, "JPY");
  jpy = pd_money_to_wire (&value);
  g_assert_cmpstr (jpy, ==, "1200");

  value = money (1234, "KWD");
  kwd = pd_money_to_wire (&value);
  g_assert_cmpstr (kwd, ==, "1.234");

  value = money (-5, "USD");
  negative = pd_money_to_wire (&value);
  g_assert_cmpstr (negative, ==, "-0.05");
}

/* Every currency, at every magnitude up to the largest gint64: wire text,
 * the text an entry starts with, and displays with grouping read back. */
static void
test_round_trip_every_currency (void)
{
  g_auto(GStrv) codes = pd_money_currency_codes ();
  static const PdMoneyConventions *conventions[] = {
    &c_conventions, &en_conventions, &de_conventions, &fr_conventions, &in_conventions, &ar_conventions,
  };

  for (guint c = 0; codes[c] != NULL; c++)
    {
      int exponent = pd_money_currency_exponent (codes[c]);
      gint64 unit = 1;
      gint64 magnitudes[12];
      guint n = 0;

      for (int e = 0; e < exponent; e++)
        unit *= 10;

      magnitudes[n++] = 0;
      magnitudes[n++] = 1;
      magnitudes[n++] = unit - 1;
      magnitudes[n++] = unit;
      magnitudes[n++] = 10010;
      magnitudes[n++] = 123456789;
      magnitudes[n++] = 100000000000000;
      magnitudes[n++] = 999999999999999;
      magnitudes[n++] = G_MAXINT64 / 7;
      magnitudes[n++] = G_MAXINT64 - 1;
      magnitudes[n++] = G_MAXINT64;

      for (guint m = 0; m < n; m++)
        {
          g_autoptr(GError) error = NULL;
          PdMoney value = money (magnitudes[m], codes[c]);
          g_autofree char *wire = pd_money_to_wire (&value);
          g_autoptr(GString) json = g_string_new (NULL);
          PdMoney back = { -1, "" };

          g_assert_true (pd_money_parse_decimal (wire, codes[c], &back, &error));
          g_assert_no_error (error);
          g_assert_true (pd_money_equal (&back, &value));

          /* JSON numbers pass through a double: exact up to 15 digits. */
          pd_money_append_json (json, &value);
          g_assert_cmpstr (json->str, ==, wire);
          if (magnitudes[m] < 1000000000000000 || exponent == 0)
            {
              g_autoptr(JsonParser) parser = json_parser_new ();

              g_assert_true (json_parser_load_from_data (parser, json->str, -1, NULL));
              back.minor = -1;
              g_assert_true (pd_money_from_json_node (json_parser_get_root (parser), codes[c], &back, &error));
              g_assert_no_error (error);
              g_assert_true (pd_money_equal (&back, &value));
            }

          for (guint k = 0; k < G_N_ELEMENTS (conventions); k++)
            {
              g_autofree char *entry = pd_money_to_display (&value,
                                                            PD_MONEY_DISPLAY_NO_CURRENCY | PD_MONEY_DISPLAY_NO_GROUPING,
                                                            conventions[k]);
              g_autofree char *grouped = pd_money_to_display (&value, PD_MONEY_DISPLAY_NO_CURRENCY, conventions[k]);

              back.minor = -1;
              g_assert_true (pd_money_parse_user_text (entry, codes[c], conventions[k], &back, &error));
              g_assert_no_error (error);
              g_assert_true (pd_money_equal (&back, &value));

              /* "1.230" yen in German could be 1 or 1230: the one display
               * that does not read back, and it says so. */
              back.minor = -1;
              if (!pd_money_parse_user_text (grouped, codes[c], conventions[k], &back, &error))
                {
                  g_assert_error (error, PD_MONEY_ERROR, PD_MONEY_ERROR_AMBIGUOUS);
                  g_assert_true (conventions[k] == &de_conventions && exponent == 0);
                  g_clear_error (&error);
                }
              else
                g_assert_true (pd_money_equal (&back, &value));
            }
        }
    }
}

static void
test_parse_decimal (void)
{
  static const ParseCase cases[] = {
    OK ("12345.67", "USD", 1234567),
    OK ("0.00", "USD", 0),
    OK ("0", "KES", 0),
    OK ("100", "USD", 10000),
    OK ("1.5", "MZN", 150),
    OK ("1.50", "EUR", 150),
    OK ("1.500", "EUR", 150),
    OK (".5", "EUR", 50),
    OK ("1200", "JPY", 1200),
    OK ("1200.00", "JPY", 1200),
    OK ("1.234", "KWD", 1234),
    OK ("92233720368547758.07", "USD", G_MAXINT64),
    OK ("9223372036854775807", "JPY", G_MAXINT64),
    FAIL ("", "USD", EMPTY),
    FAIL (NULL, "USD", EMPTY),
    FAIL ("-1.00", "USD", NEGATIVE),
    FAIL ("1.001", "USD", TOO_PRECISE),
    FAIL ("100.5", "JPY", TOO_PRECISE),
    FAIL ("1.2345", "KWD", TOO_PRECISE),
    FAIL ("92233720368547758.08", "USD", OVERFLOW),
    FAIL ("9223372036854775808", "JPY", OVERFLOW),
    FAIL ("1e3", "USD", INVALID),
    FAIL ("1.5E2", "USD", INVALID),
    FAIL ("abc", "USD", INVALID),
    FAIL (" 1.00", "USD", INVALID),
    FAIL ("1.00 ", "USD", INVALID),
    FAIL ("1,000.00", "USD", INVALID),
    FAIL ("1,5", "EUR", INVALID),
    FAIL ("+1", "USD", INVALID),
    FAIL ("0x10", "USD", INVALID),
    FAIL ("NaN", "USD", NOT_FINITE),
    FAIL ("Infinity", "USD", NOT_FINITE),
    FAIL ("-inf", "USD", NEGATIVE),
    FAIL ("1.00", "usd", UNKNOWN_CURRENCY),
    FAIL ("1.00", "XXX", UNKNOWN_CURRENCY),
    FAIL ("1.00", NULL, UNKNOWN_CURRENCY),
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      PdMoney value = { -42, "" };
      gboolean ok;

      g_test_message ("case %u: “%s”", i, cases[i].text);
      ok = pd_money_parse_decimal (cases[i].text, cases[i].currency, &value, &error);
      if (cases[i].code < 0)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpint (value.minor, ==, cases[i].minor);
        }
      else
        {
          g_assert_error (error, PD_MONEY_ERROR, cases[i].code);
          g_assert_false (ok);
          g_assert_cmpint (value.minor, ==, -42);
        }
    }
}

static void
test_too_precise_message (void)
{
  g_autoptr(GError) error = NULL;
  PdMoney value;

  g_assert_false (pd_money_parse_decimal ("1.5", "JPY", &value, &error));
  g_assert_error (error, PD_MONEY_ERROR, PD_MONEY_ERROR_TOO_PRECISE);
  g_assert_cmpstr (error->message, ==, "JPY amounts have no decimals");
  g_clear_error (&error);

  g_assert_false (pd_money_parse_decimal ("1.555", "USD", &value, &error));
  g_assert_cmpstr (error->message, ==, "USD amounts have at most 2 decimals");
  g_clear_error (&error);

  g_assert_false (pd_money_parse_decimal ("1.5555", "KWD", &value, &error));
  g_assert_cmpstr (error->message, ==, "KWD amounts have at most 3 decimals");
}

static void
check_node (JsonNode   *node,
            const char *currency,
            gint64      minor,
            int         code)
{
  g_autoptr(GError) error = NULL;
  PdMoney value = { -42, "" };
  gboolean ok = pd_money_from_json_node (node, currency, &value, &error);

  if (code < 0)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
      g_assert_cmpint (value.minor, ==, minor);
      g_assert_cmpstr (value.currency, ==, currency);
    }
  else
    {
      g_assert_error (error, PD_MONEY_ERROR, code);
      g_assert_false (ok);
      g_assert_cmpint (value.minor, ==, -42);
    }
}

/* Each check gets a node of its own: json-glib 1.6 frees the old value of
 * a node that json_node_init_*() is called on again, then writes into it. */
static void
check_new_node (JsonNode   *node,
                const char *currency,
                gint64      minor,
                int         code)
{
  check_node (node, currency, minor, code);
  json_node_unref (node);
}

static void
test_json_node_shapes (void)
{
  g_autoptr(JsonNode) array = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(JsonNode) object = json_node_new (JSON_NODE_OBJECT);

  check_new_node (json_node_init_int (json_node_alloc (), 100), "USD", 10000, -1);
  check_new_node (json_node_init_int (json_node_alloc (), 100), "JPY", 100, -1);
  check_new_node (json_node_init_int (json_node_alloc (), 100), "KWD", 100000, -1);
  check_new_node (json_node_init_int (json_node_alloc (), 100), "ZZZ", 0, PD_MONEY_ERROR_UNKNOWN_CURRENCY);
  check_new_node (json_node_init_int (json_node_alloc (), 0), "USD", 0, -1);
  check_new_node (json_node_init_int (json_node_alloc (), -1), "USD", 0, PD_MONEY_ERROR_NEGATIVE);
  check_new_node (json_node_init_int (json_node_alloc (), G_MAXINT64 / 100), "USD", G_MAXINT64 / 100 * 100, -1);
  check_new_node (json_node_init_int (json_node_alloc (), G_MAXINT64 / 100 + 1), "USD", 0, PD_MONEY_ERROR_OVERFLOW);
  check_new_node (json_node_init_int (json_node_alloc (), G_MAXINT64), "JPY", G_MAXINT64, -1);
  check_new_node (json_node_init_int (json_node_alloc (), G_MAXINT64), "USD", 0, PD_MONEY_ERROR_OVERFLOW);
  check_new_node (json_node_init_int (json_node_alloc (), G_MININT64), "JPY", 0, PD_MONEY_ERROR_NEGATIVE);

  check_new_node (json_node_init_double (json_node_alloc (), 100.10), "USD", 10010, -1);
  check_new_node (json_node_init_double (json_node_alloc (), 100.10), "JPY", 0, PD_MONEY_ERROR_TOO_PRECISE);
  check_new_node (json_node_init_double (json_node_alloc (), 0.1 + 0.2), "USD", 0, PD_MONEY_ERROR_TOO_PRECISE);
  check_new_node (json_node_init_double (json_node_alloc (), 1.005), "KWD", 1005, -1);
  check_new_node (json_node_init_double (json_node_alloc (), -1.5), "USD", 0, PD_MONEY_ERROR_NEGATIVE);
  check_new_node (json_node_init_double (json_node_alloc (), NAN), "USD", 0, PD_MONEY_ERROR_NOT_FINITE);
  check_new_node (json_node_init_double (json_node_alloc (), INFINITY), "USD", 0, PD_MONEY_ERROR_NOT_FINITE);
  check_new_node (json_node_init_double (json_node_alloc (), 1e300), "USD", 0, PD_MONEY_ERROR_OVERFLOW);

  check_new_node (json_node_init_string (json_node_alloc (), "12345.67"), "USD", 1234567, -1);
  check_new_node (json_node_init_string (json_node_alloc (), ""), "USD", 0, PD_MONEY_ERROR_EMPTY);
  check_new_node (json_node_init_string (json_node_alloc (), "12 USD"), "USD", 0, PD_MONEY_ERROR_INVALID);
  check_new_node (json_node_init_string (json_node_alloc (), "1e2"), "USD", 0, PD_MONEY_ERROR_INVALID);
  check_new_node (json_node_init_string (json_node_alloc (), "NaN"), "USD", 0, PD_MONEY_ERROR_NOT_FINITE);

  check_new_node (json_node_init_boolean (json_node_alloc (), TRUE), "USD", 0, PD_MONEY_ERROR_NOT_A_NUMBER);
  check_new_node (json_node_init_null (json_node_alloc ()), "USD", 0, PD_MONEY_ERROR_NOT_A_NUMBER);
  check_node (NULL, "USD", 0, PD_MONEY_ERROR_NOT_A_NUMBER);
  check_node (array, "USD", 0, PD_MONEY_ERROR_NOT_A_NUMBER);
  check_node (object, "USD", 0, PD_MONEY_ERROR_NOT_A_NUMBER);
}

/* JSON text as a gateway sends it, through json-glib's parser. */
static void
test_json_text (void)
{
  static const ParseCase cases[] = {
    OK ("100.10", "USD", 10010),
    OK ("100.50", "USD", 10050),
    OK ("50.25", "USD", 5025),
    OK ("100", "USD", 10000),
    OK ("0.01", "USD", 1),
    OK ("0", "USD", 0),
    OK ("-0", "USD", 0),
    OK ("-0.0", "USD", 0),
    OK ("1e2", "USD", 10000),            /* a JSON number; the text is gone by then */
    OK ("1.5E1", "JPY", 15),
    OK ("9007199254740.99", "USD", 900719925474099),
    OK ("\"12345.67\"", "USD", 1234567),
    OK ("9223372036854775807", "JPY", G_MAXINT64),
    FAIL ("100.001", "USD", TOO_PRECISE),
    FAIL ("0.5", "JPY", TOO_PRECISE),
    FAIL ("-5", "USD", NEGATIVE),
    FAIL ("-5.5", "USD", NEGATIVE),
    FAIL ("1E400", "USD", NOT_FINITE),
    OK ("1e-400", "USD", 0),               /* json-glib underflows it to 0.0 */
    FAIL ("1e-30", "USD", TOO_PRECISE),
    FAIL ("92233720368547759", "USD", OVERFLOW),
    FAIL ("\"1.000.000\"", "USD", INVALID),
    FAIL ("true", "USD", NOT_A_NUMBER),
    FAIL ("null", "USD", NOT_A_NUMBER),
    FAIL ("[1]", "USD", NOT_A_NUMBER),
    FAIL ("{\"amount\":1}", "USD", NOT_A_NUMBER),
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      g_test_message ("case %u: %s", i, cases[i].text);
      g_assert_true (json_parser_load_from_data (parser, cases[i].text, -1, NULL));
      check_node (json_parser_get_root (parser), cases[i].currency, cases[i].minor, cases[i].code);
    }
}

/* json-glib 1.6 wraps integers past G_MAXINT64 instead of failing; they
 * come out negative, and are refused as such rather than read as a price. */
static void
test_json_integer_past_gint64 (void)
{
  static const char * const texts[] = { "9223372036854775808", "18446744073709551615", "99999999999999999999" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      PdMoney value;

      g_assert_true (json_parser_load_from_data (parser, texts[i], -1, NULL));
      g_assert_false (pd_money_from_json_node (json_parser_get_root (parser), "JPY", &value, &error));
      g_assert_nonnull (error);
      g_assert_true (error->domain == PD_MONEY_ERROR);
    }
}

/* The test environment runs in C.UTF-8: '.' and no grouping separator. */
static void
test_parse_user_text (void)
{
  static const ParseCase cases[] = {
    OK ("1234.56", "USD", 123456),
    OK ("  12.5  ", "USD", 1250),
    OK ("\t12.5" NBSP, "USD", 1250),
    OK ("0.5", "USD", 50),
    OK (".5", "USD", 50),
    OK ("5.", "USD", 500),
    OK ("100.10", "USD", 10010),
    OK ("1 234.56", "USD", 123456),
    OK ("1" NBSP "234" NBSP "567.89", "EUR", 123456789),
    OK ("1" NNBSP "234", "EUR", 123400),
    OK ("1200", "JPY", 1200),
    OK ("1.234", "KWD", 1234),
    OK ("0.000", "USD", 0),
    OK ("92233720368547758.07", "USD", G_MAXINT64),
    OK ("92 233 720 368 547 758.07", "USD", G_MAXINT64),
    FAIL ("", "USD", EMPTY),
    FAIL (NULL, "USD", EMPTY),
    FAIL ("   ", "USD", EMPTY),
    FAIL (NBSP, "USD", EMPTY),
    FAIL ("-5", "USD", NEGATIVE),
    FAIL (" -5.00", "USD", NEGATIVE),
    FAIL ("\u22125", "USD", NEGATIVE),
    FAIL ("1.234", "USD", TOO_PRECISE),
    FAIL ("0.5", "JPY", TOO_PRECISE),
    FAIL ("92233720368547758.08", "USD", OVERFLOW),
    FAIL ("99999999999999999999", "JPY", OVERFLOW),
    FAIL ("1e5", "USD", INVALID),
    FAIL ("1E5", "USD", INVALID),
    FAIL ("1.5e-3", "USD", INVALID),
    FAIL ("abc", "USD", INVALID),
    FAIL ("5 USD", "USD", INVALID),
    FAIL ("$5", "USD", INVALID),
    FAIL ("+5", "USD", INVALID),
    FAIL ("5-", "USD", INVALID),
    FAIL ("(5)", "USD", INVALID),
    FAIL ("1.2.3", "USD", INVALID),
    FAIL ("1..2", "USD", INVALID),
    FAIL (".", "USD", INVALID),
    FAIL ("1,234.56", "USD", INVALID),     /* the C locale has no grouping separator */
    FAIL ("1 23.45", "USD", INVALID),
    FAIL ("12 3456", "USD", INVALID),
    FAIL ("1234 567", "USD", INVALID),
    FAIL ("1  234", "USD", INVALID),
    FAIL ("1 234.5 6", "USD", INVALID),
    FAIL (" 1 .5", "USD", INVALID),
    FAIL ("\xff", "USD", INVALID),
    FAIL ("1\n2", "USD", INVALID),
    FAIL ("١٢", "USD", INVALID),
    FAIL ("NaN", "USD", NOT_FINITE),
    FAIL ("inf", "USD", NOT_FINITE),
    FAIL ("Infinity", "USD", NOT_FINITE),
    FAIL ("5", "ZZZ", UNKNOWN_CURRENCY),
  };

  check_user_text_cases (cases, G_N_ELEMENTS (cases), &c_conventions);
  /* NULL reads the same conventions from the C.UTF-8 locale. */
  check_user_text_cases (cases, G_N_ELEMENTS (cases), NULL);
}

static void
test_parse_user_text_english (void)
{
  static const ParseCase cases[] = {
    OK ("1,234.56", "USD", 123456),
    OK ("1,234", "USD", 123400),
    OK ("1,234,567.89", "USD", 123456789),
    OK ("1 234 567.89", "USD", 123456789),
    OK ("123,456", "JPY", 123456),
    OK ("1.5", "USD", 150),
    FAIL ("1,5", "USD", INVALID),
    FAIL ("12,34.5", "USD", INVALID),
    FAIL ("1,234 567", "USD", INVALID),
    FAIL ("1,234.56,7", "USD", INVALID),
    FAIL (",234", "USD", INVALID),
    FAIL ("1,234,", "USD", INVALID),
    FAIL ("1.234,56", "EUR", INVALID),
  };

  check_user_text_cases (cases, G_N_ELEMENTS (cases), &en_conventions);
}

/* ',' is the mark and '.' groups: a '.' is also read as a decimal mark,
 * but only where it cannot be grouping. */
static void
test_parse_user_text_german (void)
{
  static const ParseCase cases[] = {
    OK ("1.234,56", "EUR", 123456),
    OK ("1234,56", "EUR", 123456),
    OK ("12,5", "EUR", 1250),
    OK (",5", "EUR", 50),
    OK ("5,", "EUR", 500),
    OK ("1.234.567,89", "EUR", 123456789),
    OK ("1 234 567,89", "EUR", 123456789),
    OK ("1.234.567", "EUR", 123456700),
    OK ("12.5", "EUR", 1250),
    OK ("1.5", "EUR", 150),
    OK ("1234.56", "EUR", 123456),
    OK (".5", "EUR", 50),
    OK ("1.234", "EUR", 123400),           /* 1.234 euros cannot be: grouping */
    OK ("1.234", "JPY", 1234),
    OK ("1.5", "KWD", 1500),
    OK ("1234.567", "KWD", 1234567),       /* 1234 is no group of three */
    OK ("0.000", "JPY", 0),                /* both readings are zero */
    FAIL ("1.230", "EUR", AMBIGUOUS),      /* 1.23 or 1230 */
    FAIL ("1.234", "KWD", AMBIGUOUS),
    FAIL ("1.000", "JPY", AMBIGUOUS),
    FAIL ("1,234", "EUR", TOO_PRECISE),
    FAIL ("1.2345", "EUR", TOO_PRECISE),
    FAIL ("1.234,5.6", "EUR", INVALID),
    FAIL ("1,234.56", "EUR", INVALID),
    FAIL ("1,2,3", "EUR", INVALID),
    FAIL ("1.23.456", "EUR", INVALID),
    FAIL ("1.234 567", "EUR", INVALID),
    FAIL ("1.234.5", "EUR", INVALID),
  };
  g_autoptr(GError) error = NULL;
  PdMoney value;

  check_user_text_cases (cases, G_N_ELEMENTS (cases), &de_conventions);

  g_assert_false (pd_money_parse_user_text ("1.230", "EUR", &de_conventions, &value, &error));
  g_assert_cmpstr (error->message, ==, "Ambiguous amount: write the decimals after “,”");
  g_clear_error (&error);
  g_assert_false (pd_money_parse_user_text ("12x", "EUR", &de_conventions, &value, &error));
  g_assert_cmpstr (error->message, ==, "Not an amount: write digits, and the decimals after “,”");
}

static void
test_parse_user_text_other_conventions (void)
{
  static const ParseCase french[] = {
    OK ("1" NNBSP "234,56", "EUR", 123456),
    OK ("1 234,56", "EUR", 123456),
    OK ("1" NBSP "234" NBSP "567,89", "EUR", 123456789),
    OK ("1.5", "EUR", 150),                /* '.' groups nothing in French */
    OK ("1.234", "KWD", 1234),
    FAIL ("1.234", "EUR", TOO_PRECISE),
    FAIL ("1.234.567", "EUR", INVALID),
    FAIL ("1.234,56", "EUR", INVALID),
    FAIL ("1,234.56", "EUR", INVALID),
  };
  static const ParseCase indian[] = {
    OK ("12,34,567.89", "INR", 123456789),
    OK ("1,23,45,67,890", "INR", 123456789000),
    OK ("1,234", "INR", 123400),
    FAIL ("1,234,567", "INR", INVALID),
  };
  static const ParseCase arabic[] = {
    OK ("12\u066b5", "EGP", 1250),
    OK ("1\u066c234\u066b5", "EGP", 123450),
    OK ("12.5", "EGP", 1250),
    FAIL ("12\u066b5\u066b5", "EGP", INVALID),
  };

  check_user_text_cases (french, G_N_ELEMENTS (french), &fr_conventions);
  check_user_text_cases (indian, G_N_ELEMENTS (indian), &in_conventions);
  check_user_text_cases (arabic, G_N_ELEMENTS (arabic), &ar_conventions);
}

/* A card number typed into the amount field stays out of the message. */
static void
test_parse_user_text_no_echo (void)
{
  static const char * const texts[] = { "4111 1111 1111 1111x", "4111-1111-1111-1111", "4111111111111111e1" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      PdMoney value;

      g_assert_false (pd_money_parse_user_text (texts[i], "USD", &c_conventions, &value, &error));
      g_assert_nonnull (error);
      g_assert_null (strstr (error->message, "1111"));
    }
}

static void
check_display (gint64                     minor,
               const char                *currency,
               PdMoneyDisplayFlags        flags,
               const PdMoneyConventions  *conventions,
               const char                *expected)
{
  PdMoney value = money (minor, currency);
  g_autofree char *text = pd_money_to_display (&value, flags, conventions);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_display (void)
{
  check_display (123456, "USD", 0, &c_conventions, "US$1234.56");
  check_display (123456, "EUR", 0, &c_conventions, "€1234.56");
  check_display (123456, "GBP", 0, &c_conventions, "£1234.56");
  check_display (1200, "JPY", 0, &c_conventions, "¥1200");
  check_display (0, "JPY", 0, &c_conventions, "¥0");
  check_display (123456, "KES", 0, &c_conventions, "KSh" NBSP "1234.56");
  check_display (1200, "MZN", 0, &c_conventions, "MT" NBSP "12.00");
  check_display (123456, "CHF", 0, &c_conventions, "CHF" NBSP "1234.56");
  check_display (1234, "KWD", 0, &c_conventions, "KWD" NBSP "1.234");
  check_display (5, "BHD", 0, &c_conventions, "BHD" NBSP "0.005");
  check_display (-500, "USD", 0, &c_conventions, "-US$5.00");
  check_display (-1, "KES", 0, &c_conventions, "-KSh" NBSP "0.01");
  check_display (123456, "USD", PD_MONEY_DISPLAY_CODE, &c_conventions, "USD" NBSP "1234.56");
  check_display (123456, "USD", PD_MONEY_DISPLAY_NO_CURRENCY, &c_conventions, "1234.56");

  check_display (123456789, "USD", 0, &en_conventions, "US$1,234,567.89");
  check_display (123456789, "USD", PD_MONEY_DISPLAY_NO_GROUPING, &en_conventions, "US$1234567.89");
  check_display (100000, "USD", 0, &en_conventions, "US$1,000.00");
  check_display (99999, "USD", 0, &en_conventions, "US$999.99");
  check_display (1234567, "JPY", 0, &en_conventions, "¥1,234,567");
  check_display (G_MAXINT64, "USD", 0, &en_conventions, "US$92,233,720,368,547,758.07");
  check_display (G_MININT64, "USD", 0, &en_conventions, "-US$92,233,720,368,547,758.08");
  check_display (G_MAXINT64, "KWD", 0, &en_conventions, "KWD" NBSP "9,223,372,036,854,775.807");

  check_display (123456789, "EUR", 0, &de_conventions, "1.234.567,89" NBSP "€");
  check_display (-500, "USD", 0, &de_conventions, "-5,00" NBSP "US$");
  check_display (1200, "JPY", 0, &de_conventions, "1.200" NBSP "¥");
  check_display (1234567, "KES", 0, &de_conventions, "12.345,67" NBSP "KSh");
  check_display (123456789, "EUR", PD_MONEY_DISPLAY_NO_CURRENCY | PD_MONEY_DISPLAY_NO_GROUPING,
                 &de_conventions, "1234567,89");

  check_display (123456789, "EUR", 0, &fr_conventions, "1" NNBSP "234" NNBSP "567,89" NBSP "€");
  check_display (123456789, "INR", 0, &in_conventions, "INR" NBSP "12,34,567.89");
  check_display (123456789, "EGP", PD_MONEY_DISPLAY_NO_CURRENCY, &ar_conventions, "1\u066c234\u066c567\u066b89");
}

/* The same, from real locales: skipped when none can be had here. */
static void
test_locale_german (void)
{
  PdMoneyConventions conventions;
  PdMoney value;
  g_autofree char *text = NULL;

  if (!use_locale ("de_DE"))
    {
      g_test_skip ("the de_DE locale is not available");
      return;
    }

  pd_money_conventions_from_locale (&conventions);
  g_assert_cmpstr (conventions.decimal_mark, ==, ",");
  g_assert_cmpstr (conventions.group_separator, ==, ".");
  g_assert_cmpint (conventions.grouping[0], ==, 3);
  g_assert_false (conventions.symbol_first);

  g_assert_true (pd_money_parse_user_text ("1.234,56", "EUR", NULL, &value, NULL));
  g_assert_cmpint (value.minor, ==, 123456);
  g_assert_true (pd_money_parse_user_text ("12.5", "EUR", NULL, &value, NULL));
  g_assert_cmpint (value.minor, ==, 1250);
  g_assert_false (pd_money_parse_user_text ("1.230", "EUR", NULL, &value, NULL));

  value = money (123456789, "EUR");
  text = pd_money_to_display (&value, 0, NULL);
  g_assert_cmpstr (text, ==, "1.234.567,89" NBSP "€");
  g_clear_pointer (&text, g_free);

  /* Wire text never follows the locale. */
  value = money (10010, "USD");
  text = pd_money_to_wire (&value);
  g_assert_cmpstr (text, ==, "100.10");

  restore_locale ();
}

static void
test_locale_french (void)
{
  PdMoneyConventions conventions;
  PdMoney value;
  g_autofree char *text = NULL;

  if (!use_locale ("fr_FR"))
    {
      g_test_skip ("the fr_FR locale is not available");
      return;
    }

  pd_money_conventions_from_locale (&conventions);
  g_assert_cmpstr (conventions.decimal_mark, ==, ",");

  g_assert_true (pd_money_parse_user_text ("1 234,56", "EUR", NULL, &value, NULL));
  g_assert_cmpint (value.minor, ==, 123456);
  g_assert_true (pd_money_parse_user_text ("1.5", "EUR", NULL, &value, NULL));
  g_assert_cmpint (value.minor, ==, 150);

  value = money (123456789, "EUR");
  text = pd_money_to_display (&value, 0, NULL);
  g_assert_cmpstr (text, ==, "1" NNBSP "234" NNBSP "567,89" NBSP "€");
  g_clear_pointer (&text, g_free);

  text = pd_money_to_display (&value, PD_MONEY_DISPLAY_NO_CURRENCY, NULL);
  g_assert_true (pd_money_parse_user_text (text, "EUR", NULL, &value, NULL));
  g_assert_cmpint (value.minor, ==, 123456789);

  restore_locale ();
}

static void
test_locale_english (void)
{
  PdMoney value;
  g_autofree char *text = NULL;

  if (!use_locale ("en_US"))
    {
      g_test_skip ("the en_US locale is not available");
      return;
    }

  g_assert_true (pd_money_parse_user_text ("1,234.56", "USD", NULL, &value, NULL));
  g_assert_cmpint (value.minor, ==, 123456);

  text = pd_money_to_display (&value, 0, NULL);
  g_assert_cmpstr (text, ==, "US$1,234.56");

  restore_locale ();
}

static void
test_arithmetic (void)
{
  g_autoptr(GError) error = NULL;
  PdMoney a = money (1050, "USD");
  PdMoney b = money (25, "USD");
  PdMoney kes = money (25, "KES");
  PdMoney result = { -42, "" };
  int order = 42;

  g_assert_true (pd_money_add (&a, &b, &result, &error));
  g_assert_no_error (error);
  g_assert_true (pd_money_equal (&result, &(PdMoney) { 1075, "USD" }));

  g_assert_true (pd_money_subtract (&b, &a, &result, &error));
  g_assert_true (pd_money_equal (&result, &(PdMoney) { -1025, "USD" }));

  g_assert_true (pd_money_compare (&a, &b, &order, &error));
  g_assert_cmpint (order, >, 0);
  g_assert_true (pd_money_compare (&b, &a, &order, &error));
  g_assert_cmpint (order, <, 0);
  g_assert_true (pd_money_compare (&a, &a, &order, &error));
  g_assert_cmpint (order, ==, 0);

  result.minor = -42;
  g_assert_false (pd_money_add (&a, &kes, &result, &error));
  g_assert_error (error, PD_MONEY_ERROR, PD_MONEY_ERROR_CURRENCY_MISMATCH);
  g_assert_cmpint (result.minor, ==, -42);
  g_clear_error (&error);
  g_assert_false (pd_money_subtract (&a, &kes, &result, &error));
  g_assert_error (error, PD_MONEY_ERROR, PD_MONEY_ERROR_CURRENCY_MISMATCH);
  g_clear_error (&error);
  order = 42;
  g_assert_false (pd_money_compare (&a, &kes, &order, &error));
  g_assert_error (error, PD_MONEY_ERROR, PD_MONEY_ERROR_CURRENCY_MISMATCH);
  g_assert_cmpint (order, ==, 42);
  g_clear_error (&error);

  a.minor = G_MAXINT64;
  b.minor = 1;
  g_assert_false (pd_money_add (&a, &b, &result, &error));
  g_assert_error (error, PD_MONEY_ERROR, PD_MONEY_ERROR_OVERFLOW);
  g_clear_error (&error);
  a.minor = G_MININT64;
  g_assert_false (pd_money_subtract (&a, &b, &result, &error));
  g_assert_error (error, PD_MONEY_ERROR, PD_MONEY_ERROR_OVERFLOW);
  g_clear_error (&error);
  a.minor = G_MAXINT64 - 1;
  g_assert_true (pd_money_add (&a, &b, &result, &error));
  g_assert_cmpint (result.minor, ==, G_MAXINT64);
}

static __int128
fee_reference (gint64 minor,
               guint  basis_points)
{
  return ((__int128) minor * basis_points + 5000) / 10000;
}

static void
test_fee (void)
{
  static const struct
  {
    gint64 minor;
    guint  basis_points;
    gint64 fee;
  } cases[] = {
    { 10000, 250, 250 },      /* 2.5 % of 100.00 */
    { 10, 250, 0 },           /* 0.0025 rounds down */
    { 20, 250, 1 },           /* 0.005 is half: up */
    { 30, 250, 1 },
    { 19, 250, 0 },           /* 0.00475 */
    { 0, 250, 0 },
    { 12345, 0, 0 },
    { 12345, 10000, 12345 },
    { 1, 5000, 1 },           /* half of one cent: up */
    { 1, 4999, 0 },
    { G_MAXINT64, 10000, G_MAXINT64 },
    { G_MAXINT64, 1, 922337203685478 },
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (250);
  g_autoptr(GError) error = NULL;
  PdMoney fee;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PdMoney amount = money (cases[i].minor, "KES");

      g_assert_true (pd_money_fee (&amount, cases[i].basis_points, &fee, &error));
      g_assert_no_error (error);
      g_assert_cmpint (fee.minor, ==, cases[i].fee);
      g_assert_cmpstr (fee.currency, ==, "KES");
    }

  /* Against 128-bit arithmetic, at every magnitude, overflow included. */
  for (guint i = 0; i < 100000; i++)
    {
      guint64 bits = (guint64) g_rand_int (rand) << 32 | g_rand_int (rand);
      PdMoney amount = money ((gint64) (bits >> g_rand_int_range (rand, 1, 63)), "USD");
      guint basis_points = g_rand_int_range (rand, 0, 30000);
      __int128 expected = fee_reference (amount.minor, basis_points);

      if (expected > G_MAXINT64)
        {
          g_assert_false (pd_money_fee (&amount, basis_points, &fee, &error));
          g_assert_error (error, PD_MONEY_ERROR, PD_MONEY_ERROR_OVERFLOW);
          g_clear_error (&error);
        }
      else
        {
          g_assert_true (pd_money_fee (&amount, basis_points, &fee, &error));
          g_assert_cmpint (fee.minor, ==, (gint64) expected);
        }
    }

  fee.minor = -42;
  g_assert_false (pd_money_fee (&(PdMoney) { G_MAXINT64, "USD" }, 10001, &fee, &error));
  g_assert_error (error, PD_MONEY_ERROR, PD_MONEY_ERROR_OVERFLOW);
  g_assert_cmpint (fee.minor, ==, -42);
  g_clear_error (&error);
  g_assert_false (pd_money_fee (&(PdMoney) { -1, "USD" }, 100, &fee, &error));
  g_assert_error (error, PD_MONEY_ERROR, PD_MONEY_ERROR_NEGATIVE);
}

int
main (int    argc,
      char **argv)
{
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  locale_dirs = g_ptr_array_new_with_free_func (g_free);

  g_test_add_func ("/pd/money/currencies", test_currencies);
  g_test_add_func ("/pd/money/init", test_init);
  g_test_add_func ("/pd/money/wire", test_wire);
  g_test_add_func ("/pd/money/round-trip-every-currency", test_round_trip_every_currency);
  g_test_add_func ("/pd/money/parse-decimal", test_parse_decimal);
  g_test_add_func ("/pd/money/too-precise-message", test_too_precise_message);
  g_test_add_func ("/pd/money/json-node-shapes", test_json_node_shapes);
  g_test_add_func ("/pd/money/json-text", test_json_text);
  g_test_add_func ("/pd/money/json-integer-past-gint64", test_json_integer_past_gint64);
  g_test_add_func ("/pd/money/parse-user-text", test_parse_user_text);
  g_test_add_func ("/pd/money/parse-user-text-english", test_parse_user_text_english);
  g_test_add_func ("/pd/money/parse-user-text-german", test_parse_user_text_german);
  g_test_add_func ("/pd/money/parse-user-text-other-conventions", test_parse_user_text_other_conventions);
  g_test_add_func ("/pd/money/parse-user-text-no-echo", test_parse_user_text_no_echo);
  g_test_add_func ("/pd/money/display", test_display);
  g_test_add_func ("/pd/money/locale-german", test_locale_german);
  g_test_add_func ("/pd/money/locale-french", test_locale_french);
  g_test_add_func ("/pd/money/locale-english", test_locale_english);
  g_test_add_func ("/pd/money/arithmetic", test_arithmetic);
  g_test_add_func ("/pd/money/fee", test_fee);

  status = g_test_run ();

  g_ptr_array_foreach (locale_dirs, (GFunc) remove_tree, NULL);
  g_ptr_array_unref (locale_dirs);

  return status;
}
