/* Tests for src/common: exact decimal text, the ISO 4217 table and Luhn */
#define G_LOG_DOMAIN "test-decimal"

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "pd-decimal.h"
#include "pd-iso4217.h"
#include "pd-luhn.h"

static void
test_parse_plain (void)
{
  static const struct
  {
    const char *text;
    guint       exponent;
    gint64      minor;
  } cases[] = {
    { "0", 2, 0 },
    { "100", 2, 10000 },
    { "100.1", 2, 10010 },
    { "100.10", 2, 10010 },
    { "100.5", 0, -1 },
    { ".5", 2, 50 },
    { "5.", 2, 500 },
    { "5.", 0, 5 },
    { "0.01", 2, 1 },
    { "1.500", 2, 150 },        /* trailing zeros past the exponent are exact */
    { "1.50000000000000000000000", 2, 150 },
    { "000012.34", 2, 1234 },
    { "1.234", 3, 1234 },
    { "0.0001", 4, 1 },
    { "1200", 0, 1200 },
    { "92233720368547758.07", 2, G_MAXINT64 },
    { "9223372036854775807", 0, G_MAXINT64 },
    { "9223372036854775.807", 3, G_MAXINT64 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 minor = -42;
      PdDecimalStatus status = pd_decimal_parse (cases[i].text, '.', cases[i].exponent, &minor);

      if (cases[i].minor < 0)
        {
          g_assert_cmpint (status, ==, PD_DECIMAL_TOO_PRECISE);
          continue;
        }
      g_assert_cmpint (status, ==, PD_DECIMAL_OK);
      g_assert_cmpint (minor, ==, cases[i].minor);
    }
}

static void
test_parse_errors (void)
{
  static const struct
  {
    const char     *text;
    guint           exponent;
    PdDecimalStatus status;
  } cases[] = {
    { "", 2, PD_DECIMAL_EMPTY },
    { NULL, 2, PD_DECIMAL_EMPTY },
    { ".", 2, PD_DECIMAL_SYNTAX },
    { "-1", 2, PD_DECIMAL_NEGATIVE },
    { "-0", 2, PD_DECIMAL_NEGATIVE },
    { "+1", 2, PD_DECIMAL_SYNTAX },
    { "1e5", 2, PD_DECIMAL_SYNTAX },
    { "1E5", 0, PD_DECIMAL_SYNTAX },
    { "1.5e2", 2, PD_DECIMAL_SYNTAX },
    { "0x10", 2, PD_DECIMAL_SYNTAX },
    { " 1", 2, PD_DECIMAL_SYNTAX },
    { "1 ", 2, PD_DECIMAL_SYNTAX },
    { "1,000", 2, PD_DECIMAL_SYNTAX },
    { "1.2.3", 2, PD_DECIMAL_SYNTAX },
    { "1..2", 2, PD_DECIMAL_SYNTAX },
    { "NaN", 2, PD_DECIMAL_SYNTAX },
    { "inf", 2, PD_DECIMAL_SYNTAX },
    { "١٢", 2, PD_DECIMAL_SYNTAX },       /* Arabic-Indic digits */
    { "1.001", 2, PD_DECIMAL_TOO_PRECISE },
    { "0.5", 0, PD_DECIMAL_TOO_PRECISE },
    { "0.1230001", 3, PD_DECIMAL_TOO_PRECISE },
    { "92233720368547758.08", 2, PD_DECIMAL_OVERFLOW },
    { "9223372036854775808", 0, PD_DECIMAL_OVERFLOW },
    { "92233720368547758", 3, PD_DECIMAL_OVERFLOW },
    { "99999999999999999999999999", 0, PD_DECIMAL_OVERFLOW },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 minor = -42;

      g_test_message ("case %u: %s", i, cases[i].text ? cases[i].text : "(null)");
      g_assert_cmpint (pd_decimal_parse (cases[i].text, '.', cases[i].exponent, &minor), ==,
                       cases[i].status);
      g_assert_cmpint (minor, ==, 0);
    }
}

static void
test_parse_comma_mark (void)
{
  gint64 minor;

  g_assert_cmpint (pd_decimal_parse ("12,34", ',', 2, &minor), ==, PD_DECIMAL_OK);
  g_assert_cmpint (minor, ==, 1234);
  /* With ',' as the mark, '.' is just a wrong character. */
  g_assert_cmpint (pd_decimal_parse ("12.34", ',', 2, &minor), ==, PD_DECIMAL_SYNTAX);
}

static void
test_format (void)
{
  static const struct
  {
    gint64      minor;
    guint       exponent;
    const char *text;
  } cases[] = {
    { 10010, 2, "100.10" },
    { 0, 2, "0.00" },
    { 1, 2, "0.01" },
    { 5, 3, "0.005" },
    { 1200, 0, "1200" },
    { 0, 0, "0" },
    { -500, 2, "-5.00" },
    { -1, 3, "-0.001" },
    { G_MAXINT64, 2, "92233720368547758.07" },
    { G_MAXINT64, 0, "9223372036854775807" },
    { G_MININT64, 2, "-92233720368547758.08" },
    { G_MININT64, 18, "-9.223372036854775808" },
    { 1, 18, "0.000000000000000001" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char buf[PD_DECIMAL_BUF_SIZE];

      g_assert_cmpstr (pd_decimal_format (cases[i].minor, cases[i].exponent, buf), ==, cases[i].text);
    }
}

static void
test_format_parse_round_trip (void)
{
  static const gint64 values[] = { 0, 1, 9, 10, 99, 100, 10010, 123456789, G_MAXINT64 / 10, G_MAXINT64 - 1, G_MAXINT64 };

  for (guint exponent = 0; exponent <= 4; exponent++)
    for (guint i = 0; i < G_N_ELEMENTS (values); i++)
      {
        char buf[PD_DECIMAL_BUF_SIZE];
        gint64 minor;

        pd_decimal_format (values[i], exponent, buf);
        g_assert_cmpint (pd_decimal_parse (buf, '.', exponent, &minor), ==, PD_DECIMAL_OK);
        g_assert_cmpint (minor, ==, values[i]);
      }
}

static void
test_shortest (void)
{
  static const struct
  {
    double      value;
    const char *text;
  } cases[] = {
    { 100.1, "100.1" },
    { 100.10, "100.1" },
    { 0.1, "0.1" },
    { 0.3, "0.3" },
    { 0.1 + 0.2, "0.30000000000000004" },
    { 100.0, "100" },
    { 0.0, "0" },
    { 1e15, "1000000000000000" },
    { 1e17, "100000000000000000" },
    { 123456789012.34, "123456789012.34" },
    { 5e-7, "0.0000005" },
    { 1.5e-5, "0.000015" },
    { 1e-20, "0.00000000000000000001" },
    { -2.5e-7, "-0.00000025" },
    { -1234.5, "-1234.5" },
    { 9007199254740993.0, "9007199254740992" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      pd_decimal_shortest (cases[i].value, buf);
      g_assert_cmpstr (buf, ==, cases[i].text);
    }
}

/* Too large or small for plain digits in the buffer: left in exponent form,
 * which pd_decimal_parse() refuses. */
static void
test_shortest_extremes (void)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  pd_decimal_shortest (1e300, buf);
  g_assert_cmpstr (buf, ==, "1e+300");
  pd_decimal_shortest (5e-324, buf);
  g_assert_cmpstr (buf, ==, "5e-324");
  pd_decimal_shortest (NAN, buf);
  g_assert_cmpstr (buf, ==, "nan");
  pd_decimal_shortest (-INFINITY, buf);
  g_assert_cmpstr (buf, ==, "-inf");
}

static void
test_from_double (void)
{
  static const struct
  {
    double          value;
    guint           exponent;
    PdDecimalStatus status;
    gint64          minor;
  } cases[] = {
    { 100.10, 2, PD_DECIMAL_OK, 10010 },
    { 100.1, 2, PD_DECIMAL_OK, 10010 },
    { 0.07, 2, PD_DECIMAL_OK, 7 },
    { 1.15, 2, PD_DECIMAL_OK, 115 },
    { 4.35, 2, PD_DECIMAL_OK, 435 },
    { 100.5, 0, PD_DECIMAL_TOO_PRECISE, 0 },
    { 100.0, 0, PD_DECIMAL_OK, 100 },
    { 1.234, 3, PD_DECIMAL_OK, 1234 },
    { 1.2345, 3, PD_DECIMAL_TOO_PRECISE, 0 },
    { 0.1 + 0.2, 2, PD_DECIMAL_TOO_PRECISE, 0 },
    { 0.0, 2, PD_DECIMAL_OK, 0 },
    { -0.0, 2, PD_DECIMAL_OK, 0 },
    { -1.0, 2, PD_DECIMAL_NEGATIVE, 0 },
    { -1e-300, 2, PD_DECIMAL_NEGATIVE, 0 },
    { 1e-20, 2, PD_DECIMAL_TOO_PRECISE, 0 },
    { 1e-300, 2, PD_DECIMAL_TOO_PRECISE, 0 },
    { 5e-324, 18, PD_DECIMAL_TOO_PRECISE, 0 },
    { NAN, 2, PD_DECIMAL_NOT_FINITE, 0 },
    { INFINITY, 2, PD_DECIMAL_NOT_FINITE, 0 },
    { -INFINITY, 2, PD_DECIMAL_NOT_FINITE, 0 },
    { 1e18, 0, PD_DECIMAL_OVERFLOW, 0 },
    { 1e300, 2, PD_DECIMAL_OVERFLOW, 0 },
    { 9e16, 2, PD_DECIMAL_OK, 9000000000000000000 },
    { 1e17, 2, PD_DECIMAL_OVERFLOW, 0 },
    { 123456789012.34, 2, PD_DECIMAL_OK, 12345678901234 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 minor = -42;

      g_test_message ("case %u: %.17g", i, cases[i].value);
      g_assert_cmpint (pd_decimal_from_double (cases[i].value, cases[i].exponent, &minor), ==,
                       cases[i].status);
      g_assert_cmpint (minor, ==, cases[i].minor);
    }
}

/* Every amount of up to 15 significant digits survives a trip through a
 * double, which is what json-glib makes of a JSON number. */
static void
test_from_double_round_trip (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (4217);

  for (guint i = 0; i < 100000; i++)
    {
      gint64 minor = g_rand_int_range (rand, 0, G_MAXINT32) * (gint64) g_rand_int_range (rand, 1, 400000);
      guint exponent = g_rand_int_range (rand, 0, 4);
      char text[PD_DECIMAL_BUF_SIZE];
      gint64 back;

      minor %= 1000000000000000;
      pd_decimal_format (minor, exponent, text);
      g_assert_cmpint (pd_decimal_from_double (g_ascii_strtod (text, NULL), exponent, &back), ==, PD_DECIMAL_OK);
      g_assert_cmpint (back, ==, minor);
    }
}

/* A ',' locale for the test below, compiled with localedef into a
 * temporary LOCPATH when the system has none installed. */
static char *locale_dir;

static gboolean
use_comma_locale (void)
{
  g_autofree char *localedef = NULL;
  g_autofree char *output = NULL;

  if (setlocale (LC_NUMERIC, "de_DE.UTF-8") != NULL)
    return TRUE;

  localedef = g_find_program_in_path ("localedef");
  if (localedef == NULL)
    return FALSE;

  locale_dir = g_dir_make_tmp ("paydesk-test-locale-XXXXXX", NULL);
  g_assert_nonnull (locale_dir);
  output = g_build_filename (locale_dir, "de_DE.UTF-8", NULL);
  {
    const char *argv[] = { localedef, "-i", "de_DE", "-f", "UTF-8", output, NULL };

    /* localedef exits non-zero on mere warnings: setlocale() has the last word. */
    g_spawn_sync (NULL, (char **) argv, NULL,
                  G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                  NULL, NULL, NULL, NULL, NULL, NULL);
  }

  g_setenv ("LOCPATH", locale_dir, TRUE);
  return setlocale (LC_NUMERIC, "de_DE.UTF-8") != NULL;
}

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

/* A ',' locale must not leak into the text doubles are turned into. */
static void
test_shortest_locale (void)
{
  g_autofree char *saved = g_strdup (setlocale (LC_NUMERIC, NULL));
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  gint64 minor;

  if (!use_comma_locale ())
    {
      g_test_skip ("no locale with a ',' decimal mark is available");
      return;
    }
  g_assert_cmpstr (localeconv ()->decimal_point, ==, ",");

  pd_decimal_shortest (1234.5, buf);
  g_assert_cmpstr (buf, ==, "1234.5");
  pd_decimal_shortest (1e-7, buf);
  g_assert_cmpstr (buf, ==, "0.0000001");
  g_assert_cmpint (pd_decimal_from_double (100.1, 2, &minor), ==, PD_DECIMAL_OK);
  g_assert_cmpint (minor, ==, 10010);

  setlocale (LC_NUMERIC, saved);
}

static void
test_iso4217_table (void)
{
  const PdIso4217 *table;
  guint n;

  table = pd_iso4217_table (&n);
  g_assert_cmpuint (n, >, 150);

  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpuint (strlen (table[i].code), ==, 3);
      for (guint c = 0; c < 3; c++)
        g_assert_true (g_ascii_isupper (table[i].code[c]));
      if (i > 0)
        g_assert_cmpint (strcmp (table[i - 1].code, table[i].code), <, 0);
      g_assert_true (pd_iso4217_lookup (table[i].code) == &table[i]);
      g_assert_cmpuint (table[i].exponent, <=, 4);
      g_assert_nonnull (table[i].name);
    }

  g_assert_cmpuint (pd_iso4217_lookup ("JPY")->exponent, ==, 0);
  g_assert_cmpuint (pd_iso4217_lookup ("USD")->exponent, ==, 2);
  g_assert_cmpuint (pd_iso4217_lookup ("USD")->numeric, ==, 840);
  g_assert_cmpuint (pd_iso4217_lookup ("EUR")->exponent, ==, 2);
  g_assert_cmpuint (pd_iso4217_lookup ("KES")->exponent, ==, 2);
  g_assert_cmpuint (pd_iso4217_lookup ("MZN")->exponent, ==, 2);
  for (guint i = 0; i < 7; i++)
    {
      static const char * const three[] = { "KWD", "BHD", "OMR", "JOD", "TND", "LYD", "IQD" };

      g_assert_cmpuint (pd_iso4217_lookup (three[i])->exponent, ==, 3);
    }

  g_assert_null (pd_iso4217_lookup ("usd"));
  g_assert_null (pd_iso4217_lookup ("US"));
  g_assert_null (pd_iso4217_lookup ("USDX"));
  g_assert_null (pd_iso4217_lookup ("XXX"));
  g_assert_null (pd_iso4217_lookup (""));
  g_assert_null (pd_iso4217_lookup (NULL));
}

static void
test_luhn (void)
{
  g_assert_true (pd_luhn_valid ("4111111111111111"));
  g_assert_true (pd_luhn_valid ("378282246310005"));
  g_assert_true (pd_luhn_valid ("0"));
  g_assert_true (pd_luhn_valid ("18"));
  g_assert_false (pd_luhn_valid ("4111111111111112"));
  g_assert_false (pd_luhn_valid ("4111 1111 1111 1111"));
  g_assert_false (pd_luhn_valid ("411111111111111a"));
  g_assert_false (pd_luhn_valid (""));
  g_assert_false (pd_luhn_valid (NULL));
  g_assert_false (pd_luhn_valid ("19"));
}

int
main (int    argc,
      char **argv)
{
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pd/decimal/parse", test_parse_plain);
  g_test_add_func ("/pd/decimal/parse-errors", test_parse_errors);
  g_test_add_func ("/pd/decimal/parse-comma-mark", test_parse_comma_mark);
  g_test_add_func ("/pd/decimal/format", test_format);
  g_test_add_func ("/pd/decimal/format-parse-round-trip", test_format_parse_round_trip);
  g_test_add_func ("/pd/decimal/shortest", test_shortest);
  g_test_add_func ("/pd/decimal/shortest-extremes", test_shortest_extremes);
  g_test_add_func ("/pd/decimal/shortest-locale", test_shortest_locale);
  g_test_add_func ("/pd/decimal/from-double", test_from_double);
  g_test_add_func ("/pd/decimal/from-double-round-trip", test_from_double_round_trip);
  g_test_add_func ("/pd/iso4217/table", test_iso4217_table);
  g_test_add_func ("/pd/luhn/valid", test_luhn);

  status = g_test_run ();
  if (locale_dir != NULL)
    remove_tree (locale_dir);
  g_free (locale_dir);
  return status;
}
