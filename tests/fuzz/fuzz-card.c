/* libFuzzer target: card numbers, CVV, expiry and masking on any bytes
 *
 * Besides not crashing: what is accepted is well formed, masks never show
 * more than six first and four last digits, and no error message carries
 * two digits in a row (none may repeat a number or a CVV).
 */
#define G_LOG_DOMAIN "fuzz-card"

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "pd-card.h"

static void
assert_no_digits (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_true (error->domain == PD_CARD_ERROR);
  for (const char *p = error->message; *p != '\0'; p++)
    g_assert_false (g_ascii_isdigit (p[0]) && g_ascii_isdigit (p[1]));
}

static void
check_mask (const char *text)
{
  g_autofree char *masked = pd_card_mask (text);
  g_autofree char *short_mask = pd_card_mask_short (text);
  char last_four[5];
  guint shown = 0;

  for (const char *p = masked; *p != '\0'; p++)
    shown += g_ascii_isdigit (*p);
  g_assert_cmpuint (shown, <=, 10);

  shown = 0;
  for (const char *p = short_mask; *p != '\0'; p++)
    shown += g_ascii_isdigit (*p);
  g_assert_cmpuint (shown, <=, 4);

  if (pd_card_last_four (text, last_four))
    g_assert_cmpuint (strlen (last_four), ==, 4);
  else
    g_assert_cmpstr (last_four, ==, "");
}

static void
check_number (const char *text)
{
  g_autoptr(GError) error = NULL;
  char digits[PD_CARD_DIGITS_SIZE];
  char grouped[PD_CARD_GROUPED_SIZE];
  PdCardBrand brand = PD_CARD_BRAND_UNKNOWN;
  gsize length;
  gsize n = 0;

  if (!pd_card_normalize (text, digits, &error))
    {
      assert_no_digits (error);
      return;
    }

  length = strlen (digits);
  g_assert_cmpuint (length, >=, 1);
  g_assert_cmpuint (length, <=, PD_CARD_MAX_DIGITS);
  g_assert_nonnull (pd_card_brand_to_key (pd_card_detect_brand (digits)));

  /* Grouping only adds spaces. */
  pd_card_format_grouped (digits, grouped);
  for (const char *p = grouped; *p != '\0'; p++)
    if (*p != ' ')
      g_assert_cmpint (*p, ==, digits[n++]);
  g_assert_cmpuint (n, ==, length);

  check_mask (digits);

  if (pd_card_validate_number (digits, &brand, &error))
    {
      g_assert_cmpint (brand, !=, PD_CARD_BRAND_UNKNOWN);
      g_assert_true (pd_card_brand_accepts_length (brand, length));
    }
  else
    {
      assert_no_digits (error);
      g_clear_error (&error);
    }

  if (!pd_card_validate_cvv (text, brand, &error))
    assert_no_digits (error);

  pd_card_wipe (digits, sizeof digits);
  pd_card_wipe (grouped, sizeof grouped);
}

static void
check_expiry (const char *text,
              GDateTime  *now)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *month = g_strndup (text, strlen (text) / 2);
  PdCardExpiry expiry;
  char wire_month[3];
  char wire_year[5];
  gboolean ok;

  ok = pd_card_expiry_parse (month, text + strlen (month), now, &expiry, &error);
  if (!ok)
    {
      g_assert_true (error != NULL && error->domain == PD_CARD_ERROR);
      g_clear_error (&error);
      ok = pd_card_expiry_parse_text (text, now, &expiry, &error);
    }

  if (ok)
    {
      g_assert_cmpuint (expiry.month, >=, 1);
      g_assert_cmpuint (expiry.month, <=, 12);
      g_assert_cmpuint (expiry.year, >=, 2025);
      g_assert_cmpuint (expiry.year, <=, 2045);
      pd_card_expiry_to_wire (&expiry, wire_month, wire_year);
    }
  else
    g_assert_true (error != NULL && error->domain == PD_CARD_ERROR);
}

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static GDateTime *now;
  g_autofree char *text = g_strndup ((const char *) data, size);
  char grouped[PD_CARD_GROUPED_SIZE];

  if (now == NULL)
    now = g_date_time_new_utc (2025, 6, 15, 12, 0, 0);

  check_number (text);
  check_mask (text);
  check_expiry (text, now);
  pd_card_format_grouped (text, grouped);
  pd_card_detect_brand (text);

  return 0;
}
