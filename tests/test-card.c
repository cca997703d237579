/* Tests for pd-card: numbers, brands, CVV, expiry, masking and wiping */
#define G_LOG_DOMAIN "test-card"

#include "config.h"

#include <locale.h>
#include <string.h>

#include "pd-card.h"
#include "pd-luhn.h"

#define BULLETS4 "\u2022\u2022\u2022\u2022"

/* Everything logged while the tests run, to prove no number is in it. */
static GString *log_text;

static GLogWriterOutput
record_log (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (strcmp (fields[i].key, "MESSAGE") == 0)
      {
        g_string_append_len (log_text, fields[i].value,
                             fields[i].length < 0 ? (gssize) strlen (fields[i].value) : fields[i].length);
        g_string_append_c (log_text, '\n');
      }

  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* A number of @length digits starting with @prefix, zeros, and the check
 * digit that makes it pass Luhn. */
static void
make_number (const char *prefix,
             guint       length,
             char        number[32])
{
  gsize n = strlen (prefix);

  g_assert_cmpuint (length, <, 32);
  g_assert_cmpuint (n, <, length);
  memcpy (number, prefix, n);
  memset (number + n, '0', length - n);
  number[length] = '\0';

  for (char d = '0'; d <= '9'; d++)
    {
      number[length - 1] = d;
      if (pd_luhn_valid (number))
        return;
    }
  g_assert_not_reached ();
}

/* Card error messages repeat no part of the number or CVV: not even two
 * digits in a row. */
static void
assert_no_digits (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, !=, "");
  for (const char *p = error->message; *p != '\0'; p++)
    g_assert_false (g_ascii_isdigit (p[0]) && g_ascii_isdigit (p[1]));
}

static void
test_spec_test_cards (void)
{
  static const struct
  {
    const char  *typed;
    PdCardBrand  brand;
    const char  *digits;
    const char  *grouped;
  } cards[] = {
    { "4111 1111 1111 1111", PD_CARD_BRAND_VISA, "4111111111111111", "4111 1111 1111 1111" },
    { "5555 5555 5555 4444", PD_CARD_BRAND_MASTERCARD, "5555555555554444", "5555 5555 5555 4444" },
    { "3782 822463 10005", PD_CARD_BRAND_AMEX, "378282246310005", "3782 822463 10005" },
    { "4242 4242 4242 4242", PD_CARD_BRAND_VISA, "4242424242424242", "4242 4242 4242 4242" },
    { "5123 4500 0000 0008", PD_CARD_BRAND_MASTERCARD, "5123450000000008", "5123 4500 0000 0008" },
    { "3400 0000 0000 009", PD_CARD_BRAND_AMEX, "340000000000009", "3400 000000 00009" },
    /* MPGS's decline card is a valid number: the gateway declines it. */
    { "4000 0000 0000 0002", PD_CARD_BRAND_VISA, "4000000000000002", "4000 0000 0000 0002" },
  };
  g_autoptr(GError) error = NULL;
  char digits[PD_CARD_DIGITS_SIZE];
  PdCardBrand brand;

  for (guint i = 0; i < G_N_ELEMENTS (cards); i++)
    {
      char grouped[PD_CARD_GROUPED_SIZE];

      brand = PD_CARD_BRAND_UNKNOWN;
      g_assert_true (pd_card_parse_number (cards[i].typed, digits, &brand, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (digits, ==, cards[i].digits);
      g_assert_cmpint (brand, ==, cards[i].brand);
      g_assert_cmpint (pd_card_detect_brand (digits), ==, cards[i].brand);

      pd_card_format_grouped (digits, grouped);
      g_assert_cmpstr (grouped, ==, cards[i].grouped);
    }

  /* CyberSource's decline card fails the Luhn check before any request. */
  g_assert_false (pd_card_parse_number ("4111 1111 1111 1112", digits, &brand, &error));
  g_assert_error (error, PD_CARD_ERROR, PD_CARD_ERROR_CHECKSUM);
  assert_no_digits (error);
  g_assert_cmpstr (digits, ==, "");
  g_assert_false (pd_luhn_valid ("4111111111111112"));
  g_assert_cmpint (pd_card_detect_brand ("4111111111111112"), ==, PD_CARD_BRAND_VISA);
}

static void
test_known_numbers (void)
{
  static const struct
  {
    const char  *number;
    PdCardBrand  brand;
  } cards[] = {
    { "4012888888881881", PD_CARD_BRAND_VISA },
    { "4222222222222", PD_CARD_BRAND_VISA },
    { "5105105105105100", PD_CARD_BRAND_MASTERCARD },
    { "2223003122003222", PD_CARD_BRAND_MASTERCARD },
    { "2720992720992729", PD_CARD_BRAND_MASTERCARD },
    { "371449635398431", PD_CARD_BRAND_AMEX },
    { "6011111111111117", PD_CARD_BRAND_DISCOVER },
    { "6011000990139424", PD_CARD_BRAND_DISCOVER },
    { "6445644564456445", PD_CARD_BRAND_DISCOVER },
    { "30569309025904", PD_CARD_BRAND_DINERS },
    { "38520000023237", PD_CARD_BRAND_DINERS },
    { "36227206271667", PD_CARD_BRAND_DINERS },
    { "3530111333300000", PD_CARD_BRAND_JCB },
    { "3566002020360505", PD_CARD_BRAND_JCB },
    { "6200000000000005", PD_CARD_BRAND_UNIONPAY },
    { "6759649826438453", PD_CARD_BRAND_MAESTRO },
    { "6799990100000000019", PD_CARD_BRAND_MAESTRO },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cards); i++)
    {
      g_autoptr(GError) error = NULL;
      PdCardBrand brand = PD_CARD_BRAND_UNKNOWN;

      g_test_message ("card %u", i);
      g_assert_true (pd_luhn_valid (cards[i].number));
      g_assert_true (pd_card_validate_number (cards[i].number, &brand, &error));
      g_assert_no_error (error);
      g_assert_cmpint (brand, ==, cards[i].brand);
    }
}

static void
test_brand_prefixes (void)
{
  static const struct
  {
    const char  *prefix;
    PdCardBrand  brand;
  } cases[] = {
    { "4", PD_CARD_BRAND_VISA },
    { "49", PD_CARD_BRAND_VISA },
    { "2", PD_CARD_BRAND_UNKNOWN },
    { "22", PD_CARD_BRAND_UNKNOWN },
    { "222", PD_CARD_BRAND_UNKNOWN },
    { "2220", PD_CARD_BRAND_UNKNOWN },
    { "2221", PD_CARD_BRAND_MASTERCARD },
    { "223", PD_CARD_BRAND_MASTERCARD },
    { "23", PD_CARD_BRAND_MASTERCARD },
    { "26", PD_CARD_BRAND_MASTERCARD },
    { "27", PD_CARD_BRAND_UNKNOWN },
    { "272", PD_CARD_BRAND_UNKNOWN },
    { "2720", PD_CARD_BRAND_MASTERCARD },
    { "2721", PD_CARD_BRAND_UNKNOWN },
    { "5", PD_CARD_BRAND_UNKNOWN },
    { "50", PD_CARD_BRAND_MAESTRO },
    { "51", PD_CARD_BRAND_MASTERCARD },
    { "55", PD_CARD_BRAND_MASTERCARD },
    { "56", PD_CARD_BRAND_MAESTRO },
    { "59", PD_CARD_BRAND_MAESTRO },
    { "3", PD_CARD_BRAND_UNKNOWN },
    { "30", PD_CARD_BRAND_UNKNOWN },
    { "300", PD_CARD_BRAND_DINERS },
    { "305", PD_CARD_BRAND_DINERS },
    { "306", PD_CARD_BRAND_UNKNOWN },
    { "34", PD_CARD_BRAND_AMEX },
    { "37", PD_CARD_BRAND_AMEX },
    { "35", PD_CARD_BRAND_UNKNOWN },
    { "352", PD_CARD_BRAND_UNKNOWN },
    { "3527", PD_CARD_BRAND_UNKNOWN },
    { "3528", PD_CARD_BRAND_JCB },
    { "358", PD_CARD_BRAND_JCB },
    { "3589", PD_CARD_BRAND_JCB },
    { "359", PD_CARD_BRAND_UNKNOWN },
    { "36", PD_CARD_BRAND_DINERS },
    { "38", PD_CARD_BRAND_DINERS },
    { "39", PD_CARD_BRAND_DINERS },
    { "33", PD_CARD_BRAND_UNKNOWN },
    { "6", PD_CARD_BRAND_UNKNOWN },
    { "60", PD_CARD_BRAND_UNKNOWN },
    { "601", PD_CARD_BRAND_UNKNOWN },
    { "6010", PD_CARD_BRAND_MAESTRO },
    { "6011", PD_CARD_BRAND_DISCOVER },
    { "6012", PD_CARD_BRAND_MAESTRO },
    { "61", PD_CARD_BRAND_MAESTRO },
    { "62", PD_CARD_BRAND_UNKNOWN },
    { "621", PD_CARD_BRAND_UNIONPAY },
    { "622", PD_CARD_BRAND_UNKNOWN },
    { "622125", PD_CARD_BRAND_UNIONPAY },
    { "622126", PD_CARD_BRAND_DISCOVER },
    { "6225", PD_CARD_BRAND_DISCOVER },
    { "622925", PD_CARD_BRAND_DISCOVER },
    { "622926", PD_CARD_BRAND_UNIONPAY },
    { "623", PD_CARD_BRAND_UNIONPAY },
    { "63", PD_CARD_BRAND_MAESTRO },
    { "64", PD_CARD_BRAND_UNKNOWN },
    { "643", PD_CARD_BRAND_MAESTRO },
    { "644", PD_CARD_BRAND_DISCOVER },
    { "649", PD_CARD_BRAND_DISCOVER },
    { "65", PD_CARD_BRAND_DISCOVER },
    { "66", PD_CARD_BRAND_MAESTRO },
    { "69", PD_CARD_BRAND_MAESTRO },
    { "0", PD_CARD_BRAND_UNKNOWN },
    { "1", PD_CARD_BRAND_UNKNOWN },
    { "7", PD_CARD_BRAND_UNKNOWN },
    { "8", PD_CARD_BRAND_UNKNOWN },
    { "9", PD_CARD_BRAND_UNKNOWN },
    { "", PD_CARD_BRAND_UNKNOWN },
    { NULL, PD_CARD_BRAND_UNKNOWN },
    { "4a", PD_CARD_BRAND_UNKNOWN },
    { " 4", PD_CARD_BRAND_UNKNOWN },
    { "41111x", PD_CARD_BRAND_UNKNOWN },
    { "411111x", PD_CARD_BRAND_VISA },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("prefix “%s”", cases[i].prefix ? cases[i].prefix : "(null)");
      g_assert_cmpint (pd_card_detect_brand (cases[i].prefix), ==, cases[i].brand);
    }
}

/* Every brand at every length from 6 to 19 digits, with a valid check
 * digit: accepted exactly at the brand's lengths. */
static void
test_brand_lengths (void)
{
  static const struct
  {
    PdCardBrand  brand;
    const char  *prefix;
    guint        lengths[8];
    guint        cvv_length;
  } brands[] = {
    { PD_CARD_BRAND_VISA, "4", { 13, 16, 19 }, 3 },
    { PD_CARD_BRAND_MASTERCARD, "51", { 16 }, 3 },
    { PD_CARD_BRAND_MASTERCARD, "2720", { 16 }, 3 },
    { PD_CARD_BRAND_AMEX, "34", { 15 }, 4 },
    { PD_CARD_BRAND_DISCOVER, "6011", { 16, 17, 18, 19 }, 3 },
    { PD_CARD_BRAND_DISCOVER, "622126", { 16, 17, 18, 19 }, 3 },
    { PD_CARD_BRAND_DINERS, "36", { 14, 15, 16, 17, 18, 19 }, 3 },
    { PD_CARD_BRAND_JCB, "3528", { 16, 17, 18, 19 }, 3 },
    { PD_CARD_BRAND_UNIONPAY, "62", { 16, 17, 18, 19 }, 3 },
    { PD_CARD_BRAND_MAESTRO, "50", { 12, 13, 14, 15, 16, 17, 18, 19 }, 3 },
  };

  for (guint b = 0; b < G_N_ELEMENTS (brands); b++)
    {
      g_assert_cmpuint (pd_card_brand_cvv_length (brands[b].brand), ==, brands[b].cvv_length);

      for (guint length = 7; length <= PD_CARD_MAX_DIGITS; length++)
        {
          g_autoptr(GError) error = NULL;
          gboolean expected = FALSE;
          PdCardBrand brand = PD_CARD_BRAND_UNKNOWN;
          char number[32];

          for (guint i = 0; i < G_N_ELEMENTS (brands[b].lengths); i++)
            expected |= brands[b].lengths[i] == length;

          g_test_message ("%s at %u digits", pd_card_brand_to_key (brands[b].brand), length);
          g_assert_cmpint (pd_card_brand_accepts_length (brands[b].brand, length), ==, expected);

          make_number (brands[b].prefix, length, number);
          if (expected)
            {
              g_assert_true (pd_card_validate_number (number, &brand, &error));
              g_assert_no_error (error);
              g_assert_cmpint (brand, ==, brands[b].brand);
            }
          else
            {
              g_assert_false (pd_card_validate_number (number, &brand, &error));
              g_assert_error (error, PD_CARD_ERROR, PD_CARD_ERROR_LENGTH);
              assert_no_digits (error);
              g_assert_cmpint (brand, ==, PD_CARD_BRAND_UNKNOWN);
            }
        }
    }

  g_assert_false (pd_card_brand_accepts_length (PD_CARD_BRAND_UNKNOWN, 16));
  g_assert_false (pd_card_brand_accepts_length (PD_CARD_BRAND_VISA, 0));
  g_assert_false (pd_card_brand_accepts_length (PD_CARD_BRAND_VISA, 20));
  g_assert_false (pd_card_brand_accepts_length (PD_CARD_BRAND_VISA, 1000));
  g_assert_cmpuint (pd_card_brand_cvv_length (PD_CARD_BRAND_UNKNOWN), ==, 0);
}

static void
test_validate_errors (void)
{
  static const struct
  {
    const char *input;
    int         code;
  } cases[] = {
    { "", PD_CARD_ERROR_EMPTY },
    { NULL, PD_CARD_ERROR_EMPTY },
    { "   ", PD_CARD_ERROR_EMPTY },
    { " - - ", PD_CARD_ERROR_EMPTY },
    { "4111.1111.1111.1111", PD_CARD_ERROR_INVALID_CHARACTER },
    { "4111 1111 1111 111l", PD_CARD_ERROR_INVALID_CHARACTER },
    { "4111/1111/1111/1111", PD_CARD_ERROR_INVALID_CHARACTER },
    { "٤١١١١١١١١١١١١١١١", PD_CARD_ERROR_INVALID_CHARACTER },
    { "\xff" "4111111111111111", PD_CARD_ERROR_INVALID_CHARACTER },
    { "41111111111111111111", PD_CARD_ERROR_LENGTH },
    { "4111 1111 1111 1111 1111 1111", PD_CARD_ERROR_LENGTH },
    { "41111", PD_CARD_ERROR_LENGTH },
    { "411111111111111", PD_CARD_ERROR_LENGTH },
    { "1111111111111117", PD_CARD_ERROR_UNKNOWN_BRAND },
    { "9111111111111111", PD_CARD_ERROR_UNKNOWN_BRAND },
    { "3111111111111117", PD_CARD_ERROR_UNKNOWN_BRAND },
    { "4111111111111112", PD_CARD_ERROR_CHECKSUM },
    { "5555555555554445", PD_CARD_ERROR_CHECKSUM },
    { "378282246310006", PD_CARD_ERROR_CHECKSUM },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      char digits[PD_CARD_DIGITS_SIZE];
      PdCardBrand brand = PD_CARD_BRAND_MAESTRO;

      g_test_message ("case %u", i);
      memset (digits, 'x', sizeof digits);
      g_assert_false (pd_card_parse_number (cases[i].input, digits, &brand, &error));
      g_assert_error (error, PD_CARD_ERROR, cases[i].code);
      assert_no_digits (error);
      g_assert_cmpint (brand, ==, PD_CARD_BRAND_MAESTRO);
      /* Nothing of the number is left in the buffer. */
      for (guint k = 0; k < sizeof digits; k++)
        g_assert_false (g_ascii_isdigit (digits[k]));
    }
}

static void
test_normalize (void)
{
  static const struct
  {
    const char *input;
    const char *digits;
  } cases[] = {
    { "4111111111111111", "4111111111111111" },
    { "4111 1111 1111 1111", "4111111111111111" },
    { "4111-1111-1111-1111", "4111111111111111" },
    { "  4111 1111-1111 1111  ", "4111111111111111" },
    { "4111\u00a01111\u202f1111\u20091111", "4111111111111111" },
    { "4111\u20131111\u20101111\u20111111", "4111111111111111" },
    { "4", "4" },
    { "4111111111111111111", "4111111111111111111" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      char digits[PD_CARD_DIGITS_SIZE];

      g_assert_true (pd_card_normalize (cases[i].input, digits, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (digits, ==, cases[i].digits);
      pd_card_wipe (digits, sizeof digits);
    }
}

static void
test_cvv (void)
{
  static const struct
  {
    PdCardBrand  brand;
    const char  *cvv;
    gboolean     valid;
  } cases[] = {
    { PD_CARD_BRAND_VISA, "123", TRUE },
    { PD_CARD_BRAND_VISA, "000", TRUE },
    { PD_CARD_BRAND_VISA, "1234", FALSE },
    { PD_CARD_BRAND_VISA, "12", FALSE },
    { PD_CARD_BRAND_VISA, "12a", FALSE },
    { PD_CARD_BRAND_VISA, " 123", FALSE },
    { PD_CARD_BRAND_VISA, "", FALSE },
    { PD_CARD_BRAND_VISA, NULL, FALSE },
    { PD_CARD_BRAND_MASTERCARD, "999", TRUE },
    { PD_CARD_BRAND_DISCOVER, "123", TRUE },
    { PD_CARD_BRAND_DINERS, "123", TRUE },
    { PD_CARD_BRAND_JCB, "123", TRUE },
    { PD_CARD_BRAND_UNIONPAY, "123", TRUE },
    { PD_CARD_BRAND_MAESTRO, "123", TRUE },
    { PD_CARD_BRAND_AMEX, "1234", TRUE },
    { PD_CARD_BRAND_AMEX, "123", FALSE },
    { PD_CARD_BRAND_AMEX, "12345", FALSE },
    { PD_CARD_BRAND_UNKNOWN, "123", TRUE },
    { PD_CARD_BRAND_UNKNOWN, "1234", TRUE },
    { PD_CARD_BRAND_UNKNOWN, "12", FALSE },
    { PD_CARD_BRAND_UNKNOWN, "12345", FALSE },
    { PD_CARD_BRAND_UNKNOWN, "123456789", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("case %u", i);
      if (cases[i].valid)
        {
          g_assert_true (pd_card_validate_cvv (cases[i].cvv, cases[i].brand, &error));
          g_assert_no_error (error);
        }
      else
        {
          g_assert_false (pd_card_validate_cvv (cases[i].cvv, cases[i].brand, &error));
          g_assert_error (error, PD_CARD_ERROR, PD_CARD_ERROR_CVV);
          assert_no_digits (error);
        }
    }
}

static void
test_keys_and_labels (void)
{
  static const struct
  {
    PdCardBrand  brand;
    const char  *key;
    const char  *label;
  } brands[] = {
    { PD_CARD_BRAND_UNKNOWN, "unknown", "Card" },
    { PD_CARD_BRAND_VISA, "visa", "Visa" },
    { PD_CARD_BRAND_MASTERCARD, "mastercard", "Mastercard" },
    { PD_CARD_BRAND_AMEX, "amex", "American Express" },
    { PD_CARD_BRAND_DISCOVER, "discover", "Discover" },
    { PD_CARD_BRAND_DINERS, "diners", "Diners Club" },
    { PD_CARD_BRAND_JCB, "jcb", "JCB" },
    { PD_CARD_BRAND_UNIONPAY, "unionpay", "UnionPay" },
    { PD_CARD_BRAND_MAESTRO, "maestro", "Maestro" },
  };
  PdCardBrand brand;

  for (guint i = 0; i < G_N_ELEMENTS (brands); i++)
    {
      g_assert_cmpstr (pd_card_brand_to_key (brands[i].brand), ==, brands[i].key);
      g_assert_cmpstr (pd_card_brand_get_label (brands[i].brand), ==, brands[i].label);
      brand = -1;
      g_assert_true (pd_card_brand_from_key (brands[i].key, &brand));
      g_assert_cmpint (brand, ==, brands[i].brand);
    }

  brand = PD_CARD_BRAND_JCB;
  g_assert_false (pd_card_brand_from_key ("Visa", &brand));
  g_assert_false (pd_card_brand_from_key ("", &brand));
  g_assert_false (pd_card_brand_from_key (NULL, &brand));
  g_assert_cmpint (brand, ==, PD_CARD_BRAND_JCB);
  g_assert_true (G_TYPE_IS_ENUM (PD_TYPE_CARD_BRAND));
}

static void
test_grouping (void)
{
  static const struct
  {
    const char *digits;
    const char *grouped;
  } cases[] = {
    { "4111111111111111", "4111 1111 1111 1111" },
    { "4222222222222", "4222 2222 2222 2" },
    { "4000000000000000006", "4000 0000 0000 0000 006" },
    { "378282246310005", "3782 822463 10005" },
    { "30569309025904", "3056 930902 5904" },
    { "3056930902590400", "3056 9309 0259 0400" },
    { "675964982643", "6759 6498 2643" },
    { "4111", "4111" },
    { "41111", "4111 1" },
    { "3782822", "3782 822" },
    { "37828224631", "3782 822463 1" },
    { "4", "4" },
    { "", "" },
    { NULL, "" },
    { "12345678901234567890123", "1234 5678 9012 3456 789" },
  };
  guint groups[PD_CARD_MAX_GROUPS];

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char grouped[PD_CARD_GROUPED_SIZE];

      pd_card_format_grouped (cases[i].digits, grouped);
      g_assert_cmpstr (grouped, ==, cases[i].grouped);
    }

  g_assert_cmpuint (pd_card_brand_grouping (PD_CARD_BRAND_AMEX, 15, groups), ==, 3);
  g_assert_cmpuint (groups[0], ==, 4);
  g_assert_cmpuint (groups[1], ==, 6);
  g_assert_cmpuint (groups[2], ==, 5);
  g_assert_cmpuint (pd_card_brand_grouping (PD_CARD_BRAND_DINERS, 14, groups), ==, 3);
  g_assert_cmpuint (groups[2], ==, 4);
  g_assert_cmpuint (pd_card_brand_grouping (PD_CARD_BRAND_VISA, 16, groups), ==, 4);
  g_assert_cmpuint (pd_card_brand_grouping (PD_CARD_BRAND_VISA, 19, groups), ==, 5);
  g_assert_cmpuint (pd_card_brand_grouping (PD_CARD_BRAND_MAESTRO, 12, groups), ==, 3);
}

typedef struct
{
  const char *month;
  const char *year;
  int         code;      /* -1: valid */
  guint       expected_year;
} ExpiryCase;

static void
check_expiry_cases (GDateTime        *now,
                    const ExpiryCase *cases,
                    gsize             n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autoptr(GError) error = NULL;
      PdCardExpiry expiry = { 0, 0 };

      g_test_message ("expiry “%s” “%s”", cases[i].month ? cases[i].month : "(null)",
                      cases[i].year ? cases[i].year : "(null)");
      if (cases[i].code < 0)
        {
          g_assert_true (pd_card_expiry_parse (cases[i].month, cases[i].year, now, &expiry, &error));
          g_assert_no_error (error);
          g_assert_cmpuint (expiry.month, ==, (guint) g_ascii_strtoull (cases[i].month, NULL, 10));
          g_assert_cmpuint (expiry.year, ==, cases[i].expected_year);
        }
      else
        {
          g_assert_false (pd_card_expiry_parse (cases[i].month, cases[i].year, now, &expiry, &error));
          g_assert_error (error, PD_CARD_ERROR, cases[i].code);
          g_assert_cmpuint (expiry.month, ==, 0);
        }
    }
}

static void
test_expiry (void)
{
  static const ExpiryCase cases[] = {
    { "6", "2025", -1, 2025 },             /* this month */
    { "06", "25", -1, 2025 },
    { "7", "25", -1, 2025 },
    { "12", "2030", -1, 2030 },
    { "1", "26", -1, 2026 },
    { "5", "2025", PD_CARD_ERROR_EXPIRED, 0 },  /* last month */
    { "05", "25", PD_CARD_ERROR_EXPIRED, 0 },
    { "12", "2024", PD_CARD_ERROR_EXPIRED, 0 },
    { "1", "2000", PD_CARD_ERROR_EXPIRED, 0 },
    { "6", "2045", -1, 2045 },             /* exactly 20 years ahead */
    { "06", "45", -1, 2045 },
    { "7", "2045", PD_CARD_ERROR_EXPIRY_TOO_FAR, 0 },
    { "1", "2046", PD_CARD_ERROR_EXPIRY_TOO_FAR, 0 },
    { "12", "9999", PD_CARD_ERROR_EXPIRY_TOO_FAR, 0 },
    { "1", "74", PD_CARD_ERROR_EXPIRY_TOO_FAR, 0 },   /* 2074 */
    { "1", "99", PD_CARD_ERROR_EXPIRED, 0 },          /* 1999 */
    { "0", "25", PD_CARD_ERROR_EXPIRY_FORMAT, 0 },
    { "00", "25", PD_CARD_ERROR_EXPIRY_FORMAT, 0 },
    { "13", "25", PD_CARD_ERROR_EXPIRY_FORMAT, 0 },
    { "012", "25", PD_CARD_ERROR_EXPIRY_FORMAT, 0 },
    { "1a", "25", PD_CARD_ERROR_EXPIRY_FORMAT, 0 },
    { " 1", "25", PD_CARD_ERROR_EXPIRY_FORMAT, 0 },
    { "-1", "25", PD_CARD_ERROR_EXPIRY_FORMAT, 0 },
    { "+1", "25", PD_CARD_ERROR_EXPIRY_FORMAT, 0 },
    { "", "25", PD_CARD_ERROR_EXPIRY_FORMAT, 0 },
    { NULL, "25", PD_CARD_ERROR_EXPIRY_FORMAT, 0 },
    { "6", "5", PD_CARD_ERROR_EXPIRY_FORMAT, 0 },
    { "6", "025", PD_CARD_ERROR_EXPIRY_FORMAT, 0 },
    { "6", "20255", PD_CARD_ERROR_EXPIRY_FORMAT, 0 },
    { "6", "2a", PD_CARD_ERROR_EXPIRY_FORMAT, 0 },
    { "6", "２５", PD_CARD_ERROR_EXPIRY_FORMAT, 0 },
    { "6", "", PD_CARD_ERROR_EXPIRY_FORMAT, 0 },
    { "6", NULL, PD_CARD_ERROR_EXPIRY_FORMAT, 0 },
  };
  g_autoptr(GDateTime) now = g_date_time_new_utc (2025, 6, 15, 12, 0, 0);

  check_expiry_cases (now, cases, G_N_ELEMENTS (cases));
}

/* A card is good through the last day of its month. */
static void
test_expiry_month_edges (void)
{
  static const ExpiryCase june[] = { { "6", "25", -1, 2025 } };
  static const ExpiryCase june_expired[] = { { "6", "25", PD_CARD_ERROR_EXPIRED, 0 } };
  static const ExpiryCase december[] = { { "12", "25", -1, 2025 }, { "1", "26", -1, 2026 }, { "12", "45", -1, 2045 } };
  static const ExpiryCase new_year[] = { { "12", "25", PD_CARD_ERROR_EXPIRED, 0 }, { "1", "26", -1, 2026 } };
  static const ExpiryCase next_century[] = { { "1", "01", -1, 2101 }, { "12", "98", -1, 2098 }, { "1", "98", PD_CARD_ERROR_EXPIRED, 0 } };
  g_autoptr(GDateTime) last_moment = g_date_time_new_utc (2025, 6, 30, 23, 59, 59);
  g_autoptr(GDateTime) first_moment = g_date_time_new_utc (2025, 7, 1, 0, 0, 0);
  g_autoptr(GDateTime) end_of_year = g_date_time_new_utc (2025, 12, 31, 23, 59, 59);
  g_autoptr(GDateTime) start_of_year = g_date_time_new_utc (2026, 1, 1, 0, 0, 0);
  g_autoptr(GDateTime) late_century = g_date_time_new_utc (2098, 6, 1, 0, 0, 0);

  check_expiry_cases (last_moment, june, G_N_ELEMENTS (june));
  check_expiry_cases (first_moment, june_expired, G_N_ELEMENTS (june_expired));
  check_expiry_cases (end_of_year, december, G_N_ELEMENTS (december));
  check_expiry_cases (start_of_year, new_year, G_N_ELEMENTS (new_year));
  check_expiry_cases (late_century, next_century, G_N_ELEMENTS (next_century));
}

static void
test_expiry_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *month = g_strdup_printf ("%d", g_date_time_get_month (now));
  g_autofree char *year = g_strdup_printf ("%d", g_date_time_get_year (now));
  g_autofree char *last_year = g_strdup_printf ("%d", g_date_time_get_year (now) - 1);
  g_autoptr(GError) error = NULL;
  PdCardExpiry expiry;

  g_assert_true (pd_card_expiry_parse (month, year, NULL, &expiry, &error));
  g_assert_no_error (error);
  g_assert_false (pd_card_expiry_parse (month, last_year, NULL, &expiry, &error));
  g_assert_error (error, PD_CARD_ERROR, PD_CARD_ERROR_EXPIRED);
}

static void
test_expiry_text_and_wire (void)
{
  static const struct
  {
    const char *text;
    guint       month;
    guint       year;
  } cases[] = {
    { "06/25", 6, 2025 },
    { "6/2027", 6, 2027 },
    { " 12 / 30 ", 12, 2030 },
    { "0625", 0, 0 },
    { "06-25", 0, 0 },
    { "06/25/1", 0, 0 },
    { "/25", 0, 0 },
    { "06/", 0, 0 },
    { "", 0, 0 },
    { NULL, 0, 0 },
    { "05/25", 0, 0 },
  };
  g_autoptr(GDateTime) now = g_date_time_new_utc (2025, 6, 15, 12, 0, 0);
  char month[3];
  char year[5];

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      PdCardExpiry expiry = { 0, 0 };
      gboolean ok = pd_card_expiry_parse_text (cases[i].text, now, &expiry, &error);

      g_test_message ("expiry “%s”", cases[i].text ? cases[i].text : "(null)");
      g_assert_cmpint (ok, ==, cases[i].month != 0);
      g_assert_cmpuint (expiry.month, ==, cases[i].month);
      g_assert_cmpuint (expiry.year, ==, cases[i].year);
      if (!ok)
        g_assert_true (error->domain == PD_CARD_ERROR);
    }

  pd_card_expiry_to_wire (&(PdCardExpiry) { 6, 2025 }, month, year);
  g_assert_cmpstr (month, ==, "06");
  g_assert_cmpstr (year, ==, "2025");
  pd_card_expiry_to_wire (&(PdCardExpiry) { 12, 2101 }, month, year);
  g_assert_cmpstr (month, ==, "12");
  g_assert_cmpstr (year, ==, "2101");
}

static void
test_mask (void)
{
  static const struct
  {
    const char *digits;
    const char *masked;
  } cases[] = {
    { "4111111111111111", "411111\u2022\u2022\u2022\u2022\u2022\u20221111" },
    { "378282246310005", "37828\u2022\u2022\u2022\u2022\u2022\u20220005" },
    { "30569309025904", "3056\u2022\u2022\u2022\u2022\u2022\u20225904" },
    { "4222222222222", "422\u2022\u2022\u2022\u2022\u2022\u20222222" },
    { "675964982643", "67\u2022\u2022\u2022\u2022\u2022\u20222643" },
    { "6799990100000000019", "679999\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u20220019" },
    { "67599498264", BULLETS4 },
    { "41111111111111111111", BULLETS4 },
    { "4111 1111 1111 1111", BULLETS4 },
    { "1111", BULLETS4 },
    { "", BULLETS4 },
    { NULL, BULLETS4 },
  };
  char last_four[5];

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *masked = pd_card_mask (cases[i].digits);

      g_assert_cmpstr (masked, ==, cases[i].masked);
    }

  /* At every length: at most six first and four last digits, six or more hidden. */
  for (guint length = 12; length <= PD_CARD_MAX_DIGITS; length++)
    {
      char number[32];
      g_autofree char *masked = NULL;
      guint shown = 0;
      guint hidden = 0;
      guint leading = 0;

      make_number ("5", length, number);
      masked = pd_card_mask (number);
      for (const char *p = masked; *p != '\0'; p = g_utf8_next_char (p))
        {
          if (g_ascii_isdigit (*p))
            {
              shown++;
              leading += hidden == 0;
            }
          else
            hidden++;
        }
      g_assert_cmpuint (shown + hidden, ==, length);
      g_assert_cmpuint (leading, <=, 6);
      g_assert_cmpuint (shown - leading, ==, 4);
      g_assert_cmpuint (hidden, >=, 6);
      g_assert_true (g_str_has_suffix (masked, number + length - 4));
    }

  {
    g_autofree char *short_mask = pd_card_mask_short ("4111111111111111");
    g_autofree char *from_last_four = pd_card_mask_short ("1111");
    g_autofree char *too_short = pd_card_mask_short ("12345");
    g_autofree char *junk = pd_card_mask_short ("abcd");
    g_autofree char *none = pd_card_mask_short (NULL);

    g_assert_cmpstr (short_mask, ==, BULLETS4 " 1111");
    g_assert_cmpstr (from_last_four, ==, BULLETS4 " 1111");
    g_assert_cmpstr (too_short, ==, BULLETS4);
    g_assert_cmpstr (junk, ==, BULLETS4);
    g_assert_cmpstr (none, ==, BULLETS4);
  }

  g_assert_true (pd_card_last_four ("378282246310005", last_four));
  g_assert_cmpstr (last_four, ==, "0005");
  g_assert_false (pd_card_last_four ("12345678901", last_four));
  g_assert_cmpstr (last_four, ==, "");
  g_assert_false (pd_card_last_four ("4111-1111-1111-1111", last_four));
  g_assert_false (pd_card_last_four (NULL, last_four));
}

static void
test_wipe (void)
{
  char buffer[PD_CARD_DIGITS_SIZE];
  char *secret = g_strdup ("4111111111111111");
  g_autoptr(PdCardSecret) cvv = g_strdup ("123");

  memcpy (buffer, "4111111111111111", 17);
  pd_card_wipe (buffer, sizeof buffer);
  for (guint i = 0; i < sizeof buffer; i++)
    g_assert_cmpint (buffer[i], ==, 0);

  pd_card_wipe (NULL, 10);
  pd_card_wipe_string (NULL);
  g_clear_pointer (&secret, pd_card_wipe_string);
  g_assert_null (secret);
  g_assert_cmpstr (cvv, ==, "123");
}

/* Run last: nothing logged during all the tests above holds a number. */
static void
test_nothing_logged (void)
{
  static const char * const numbers[] = {
    "4111111111111111", "4111111111111112", "378282246310005", "5555555555554444", "1111111111111117",
  };

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      char digits[PD_CARD_DIGITS_SIZE];
      char grouped[PD_CARD_GROUPED_SIZE];
      g_autofree char *masked = NULL;

      pd_card_parse_number (numbers[i], digits, NULL, NULL);
      pd_card_validate_number (numbers[i], NULL, NULL);
      pd_card_format_grouped (numbers[i], grouped);
      masked = pd_card_mask (numbers[i]);
      pd_card_validate_cvv ("12345", PD_CARD_BRAND_VISA, NULL);
      pd_card_wipe (grouped, sizeof grouped);
    }

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      g_assert_null (strstr (log_text->str, numbers[i]));
      g_assert_null (strstr (log_text->str, numbers[i] + 6));
    }
}

int
main (int    argc,
      char **argv)
{
  int status;

  log_text = g_string_new (NULL);
  g_log_set_writer_func (record_log, NULL, NULL);
  g_log_set_debug_enabled (TRUE);

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pd/card/spec-test-cards", test_spec_test_cards);
  g_test_add_func ("/pd/card/known-numbers", test_known_numbers);
  g_test_add_func ("/pd/card/brand-prefixes", test_brand_prefixes);
  g_test_add_func ("/pd/card/brand-lengths", test_brand_lengths);
  g_test_add_func ("/pd/card/validate-errors", test_validate_errors);
  g_test_add_func ("/pd/card/normalize", test_normalize);
  g_test_add_func ("/pd/card/cvv", test_cvv);
  g_test_add_func ("/pd/card/keys-and-labels", test_keys_and_labels);
  g_test_add_func ("/pd/card/grouping", test_grouping);
  g_test_add_func ("/pd/card/expiry", test_expiry);
  g_test_add_func ("/pd/card/expiry-month-edges", test_expiry_month_edges);
  g_test_add_func ("/pd/card/expiry-now", test_expiry_now);
  g_test_add_func ("/pd/card/expiry-text-and-wire", test_expiry_text_and_wire);
  g_test_add_func ("/pd/card/mask", test_mask);
  g_test_add_func ("/pd/card/wipe", test_wipe);
  g_test_add_func ("/pd/card/nothing-logged", test_nothing_logged);

  status = g_test_run ();
  g_string_free (log_text, TRUE);
  return status;
}
