/* pd-card.h: card numbers, brands, security codes and expiry dates
 *
 * The full number and the CVV never leave the form's entries and the one
 * request that sends them: nothing here logs them or puts them in an error
 * message, and buffers that held them are wiped with pd_card_wipe().
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define PD_CARD_ERROR (pd_card_error_quark ())

/**
 * PdCardError:
 * @PD_CARD_ERROR_EMPTY: no number was given
 * @PD_CARD_ERROR_INVALID_CHARACTER: something other than digits, spaces and dashes
 * @PD_CARD_ERROR_UNKNOWN_BRAND: the number's prefix is no brand Paydesk takes
 * @PD_CARD_ERROR_LENGTH: too many or too few digits for the brand
 * @PD_CARD_ERROR_CHECKSUM: the Luhn check digit does not match (a typo)
 * @PD_CARD_ERROR_CVV: the security code is not the brand's number of digits
 * @PD_CARD_ERROR_EXPIRY_FORMAT: month not 1–12, year neither YY nor YYYY
 * @PD_CARD_ERROR_EXPIRED: the last day of the expiry month has passed
 * @PD_CARD_ERROR_EXPIRY_TOO_FAR: more than 20 years ahead
 */
typedef enum
{
  PD_CARD_ERROR_EMPTY,
  PD_CARD_ERROR_INVALID_CHARACTER,
  PD_CARD_ERROR_UNKNOWN_BRAND,
  PD_CARD_ERROR_LENGTH,
  PD_CARD_ERROR_CHECKSUM,
  PD_CARD_ERROR_CVV,
  PD_CARD_ERROR_EXPIRY_FORMAT,
  PD_CARD_ERROR_EXPIRED,
  PD_CARD_ERROR_EXPIRY_TOO_FAR,
} PdCardError;

/* The enum nicks are the stable keys kept in the ledger ("visa", "amex"). */
typedef enum
{
  PD_CARD_BRAND_UNKNOWN,
  PD_CARD_BRAND_VISA,
  PD_CARD_BRAND_MASTERCARD,
  PD_CARD_BRAND_AMEX,
  PD_CARD_BRAND_DISCOVER,
  PD_CARD_BRAND_DINERS,
  PD_CARD_BRAND_JCB,
  PD_CARD_BRAND_UNIONPAY,
  PD_CARD_BRAND_MAESTRO,
} PdCardBrand;

#define PD_CARD_MAX_DIGITS  19
/* A normalised number and its NUL. */
#define PD_CARD_DIGITS_SIZE (PD_CARD_MAX_DIGITS + 1)
/* A number grouped for display ("3782 822463 10005") and its NUL. */
#define PD_CARD_GROUPED_SIZE 32
#define PD_CARD_MAX_GROUPS   8

/* @year has four digits; @month is 1–12. */
typedef struct
{
  guint month;
  guint year;
} PdCardExpiry;

#define PD_TYPE_CARD_BRAND (pd_card_brand_get_type ())

/* Holds a card number or CVV: g_autoptr(PdCardSecret) wipes and frees it. */
typedef char PdCardSecret;

GQuark       pd_card_error_quark          (void);
GType        pd_card_brand_get_type       (void) G_GNUC_CONST;

const char  *pd_card_brand_to_key         (PdCardBrand          brand);
gboolean     pd_card_brand_from_key       (const char          *key,
                                           PdCardBrand         *brand);
const char  *pd_card_brand_get_label      (PdCardBrand          brand);
gboolean     pd_card_brand_accepts_length (PdCardBrand          brand,
                                           guint                length);
guint        pd_card_brand_cvv_length     (PdCardBrand          brand);
guint        pd_card_brand_grouping       (PdCardBrand          brand,
                                           guint                length,
                                           guint                groups[PD_CARD_MAX_GROUPS]);

gboolean     pd_card_normalize            (const char          *input,
                                           char                 digits[PD_CARD_DIGITS_SIZE],
                                           GError             **error);
PdCardBrand  pd_card_detect_brand         (const char          *digits);
gboolean     pd_card_validate_number      (const char          *digits,
                                           PdCardBrand         *brand,
                                           GError             **error);
gboolean     pd_card_parse_number         (const char          *input,
                                           char                 digits[PD_CARD_DIGITS_SIZE],
                                           PdCardBrand         *brand,
                                           GError             **error);
gboolean     pd_card_validate_cvv         (const char          *cvv,
                                           PdCardBrand          brand,
                                           GError             **error);
void         pd_card_format_grouped       (const char          *digits,
                                           char                 grouped[PD_CARD_GROUPED_SIZE]);

gboolean     pd_card_expiry_parse         (const char          *month,
                                           const char          *year,
                                           GDateTime           *now,
                                           PdCardExpiry        *expiry,
                                           GError             **error);
gboolean     pd_card_expiry_parse_text    (const char          *text,
                                           GDateTime           *now,
                                           PdCardExpiry        *expiry,
                                           GError             **error);
void         pd_card_expiry_to_wire       (const PdCardExpiry  *expiry,
                                           char                 month[3],
                                           char                 year[5]);

char        *pd_card_mask                 (const char          *digits);
char        *pd_card_mask_short           (const char          *digits);
gboolean     pd_card_last_four            (const char          *digits,
                                           char                 last_four[5]);

void         pd_card_wipe                 (void                *data,
                                           gsize                size);
void         pd_card_wipe_string          (char                *secret);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdCardSecret, pd_card_wipe_string)

G_END_DECLS
