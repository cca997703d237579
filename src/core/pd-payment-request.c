#define G_LOG_DOMAIN "pd-payment-request"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pd-payment-request.h"

/* CVVs have three or four digits; the buffer keeps its NUL. */
#define CVV_SIZE 5

struct _PdPaymentRequest
{
  gatomicrefcount  ref_count;

  char            *order_id;
  PdMoney          amount;
  char            *payment_provider;
  /* Fixed buffers: a card number never sits in memory that is freed or
   * moved without being wiped first. */
  char             card_number[PD_CARD_DIGITS_SIZE];
  char             cvv[CVV_SIZE];
  PdCardBrand      card_brand;
  char             card_last_four[5];
  char            *exp_month;
  char            *exp_year;
  char            *customer_email;
  char            *customer_name;
  char            *customer_phone;
  char            *return_url;
  char            *cancel_url;
  JsonObject      *metadata;
};

G_DEFINE_BOXED_TYPE (PdPaymentRequest, pd_payment_request, pd_payment_request_ref, pd_payment_request_unref)

PdPaymentRequest *
pd_payment_request_new (const PdMoney *amount,
                        const char    *payment_provider)
{
  PdPaymentRequest *self;

  g_return_val_if_fail (amount != NULL, NULL);
  g_return_val_if_fail (pd_money_currency_is_known (amount->currency), NULL);
  g_return_val_if_fail (payment_provider != NULL, NULL);

  self = g_new0 (PdPaymentRequest, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->amount = *amount;
  self->payment_provider = g_strdup (payment_provider);
  return self;
}

PdPaymentRequest *
pd_payment_request_ref (PdPaymentRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
pd_payment_request_unref (PdPaymentRequest *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  pd_payment_request_wipe_card (self);
  g_free (self->order_id);
  g_free (self->payment_provider);
  g_free (self->exp_month);
  g_free (self->exp_year);
  g_free (self->customer_email);
  g_free (self->customer_name);
  g_free (self->customer_phone);
  g_free (self->return_url);
  g_free (self->cancel_url);
  g_clear_pointer (&self->metadata, json_object_unref);
  g_free (self);
}

const PdMoney *
pd_payment_request_get_amount (PdPaymentRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->amount;
}

const char *
pd_payment_request_get_payment_provider (PdPaymentRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->payment_provider;
}

const char *
pd_payment_request_get_order_id (PdPaymentRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->order_id;
}

void
pd_payment_request_set_order_id (PdPaymentRequest *self,
                                 const char       *order_id)
{
  g_return_if_fail (self != NULL);

  g_free (self->order_id);
  self->order_id = order_id != NULL && order_id[0] != '\0' ? g_strdup (order_id) : NULL;
}

const char *
pd_payment_request_ensure_order_id (PdPaymentRequest *self)
{
  g_autoptr(GDateTime) today = NULL;
  g_autofree char *date = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *random = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->order_id != NULL)
    return self->order_id;

  today = g_date_time_new_now_utc ();
  date = g_date_time_format (today, "%Y%m%d");
  /* 48 random bits: two orders of one day never share an id. */
  uuid = g_uuid_string_random ();
  random = g_ascii_strup (uuid + 24, 12);
  self->order_id = g_strdup_printf ("PD-%s-%s", date, random);
  return self->order_id;
}

static gboolean
all_digits (const char *text)
{
  if (text == NULL || text[0] == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

gboolean
pd_payment_request_set_card (PdPaymentRequest  *self,
                             const char        *number,
                             const char        *exp_month,
                             const char        *exp_year,
                             const char        *cvv,
                             GError           **error)
{
  char digits[PD_CARD_DIGITS_SIZE];
  gsize len;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  pd_payment_request_wipe_card (self);

  if (!pd_card_normalize (number, digits, error))
    return FALSE;
  len = strlen (digits);
  if (len < 12)
    {
      pd_card_wipe (digits, sizeof digits);
      g_set_error_literal (error, PD_CARD_ERROR, PD_CARD_ERROR_LENGTH,
                           _("The card number is too short"));
      return FALSE;
    }
  if (!all_digits (cvv) || strlen (cvv) < 3 || strlen (cvv) >= CVV_SIZE)
    {
      pd_card_wipe (digits, sizeof digits);
      g_set_error_literal (error, PD_CARD_ERROR, PD_CARD_ERROR_CVV,
                           _("The security code has three or four digits"));
      return FALSE;
    }
  if (!all_digits (exp_month) || !all_digits (exp_year))
    {
      pd_card_wipe (digits, sizeof digits);
      g_set_error_literal (error, PD_CARD_ERROR, PD_CARD_ERROR_EXPIRY_FORMAT,
                           _("The expiry date is not a month and a year"));
      return FALSE;
    }

  memcpy (self->card_number, digits, sizeof digits);
  pd_card_wipe (digits, sizeof digits);
  g_strlcpy (self->cvv, cvv, sizeof self->cvv);
  self->card_brand = pd_card_detect_brand (self->card_number);
  pd_card_last_four (self->card_number, self->card_last_four);
  g_free (self->exp_month);
  self->exp_month = g_strdup (exp_month);
  g_free (self->exp_year);
  self->exp_year = g_strdup (exp_year);
  return TRUE;
}

gboolean
pd_payment_request_has_card (PdPaymentRequest *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->card_number[0] != '\0' && self->cvv[0] != '\0';
}

void
pd_payment_request_wipe_card (PdPaymentRequest *self)
{
  g_return_if_fail (self != NULL);

  pd_card_wipe (self->card_number, sizeof self->card_number);
  pd_card_wipe (self->cvv, sizeof self->cvv);
}

PdCardBrand
pd_payment_request_get_card_brand (PdPaymentRequest *self)
{
  g_return_val_if_fail (self != NULL, PD_CARD_BRAND_UNKNOWN);

  return self->card_brand;
}

const char *
pd_payment_request_get_card_last_four (PdPaymentRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->card_last_four[0] != '\0' ? self->card_last_four : NULL;
}

const char *
pd_payment_request_get_exp_month (PdPaymentRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->exp_month;
}

const char *
pd_payment_request_get_exp_year (PdPaymentRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->exp_year;
}

const char *
pd_payment_request_get_customer_email (PdPaymentRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->customer_email;
}

const char *
pd_payment_request_get_customer_name (PdPaymentRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->customer_name;
}

const char *
pd_payment_request_get_customer_phone (PdPaymentRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->customer_phone;
}

/* Empty text is no value: the gateway gets no member for it. */
static void
set_optional (char       **field,
              const char  *value)
{
  g_free (*field);
  *field = value != NULL && value[0] != '\0' ? g_strdup (value) : NULL;
}

void
pd_payment_request_set_customer (PdPaymentRequest *self,
                                 const char       *email,
                                 const char       *name,
                                 const char       *phone)
{
  g_return_if_fail (self != NULL);

  set_optional (&self->customer_email, email);
  set_optional (&self->customer_name, name);
  set_optional (&self->customer_phone, phone);
}

const char *
pd_payment_request_get_return_url (PdPaymentRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->return_url;
}

const char *
pd_payment_request_get_cancel_url (PdPaymentRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->cancel_url;
}

void
pd_payment_request_set_urls (PdPaymentRequest *self,
                             const char       *return_url,
                             const char       *cancel_url)
{
  g_return_if_fail (self != NULL);

  set_optional (&self->return_url, return_url);
  set_optional (&self->cancel_url, cancel_url);
}

JsonObject *
pd_payment_request_get_metadata (PdPaymentRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->metadata;
}

void
pd_payment_request_set_metadata (PdPaymentRequest *self,
                                 JsonObject       *metadata)
{
  g_return_if_fail (self != NULL);

  if (metadata != NULL)
    json_object_ref (metadata);
  g_clear_pointer (&self->metadata, json_object_unref);
  self->metadata = metadata;
}

/* A JSON string literal; text that is not UTF-8 is repaired first, so the
 * body is always valid JSON. */
static void
append_json_string (GString    *json,
                    const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  g_string_append_c (json, '"');
  for (const char *p = valid; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (json, '\\');
          g_string_append_c (json, (char) c);
        }
      else if (c == '\n')
        g_string_append (json, "\\n");
      else if (c == '\r')
        g_string_append (json, "\\r");
      else if (c == '\t')
        g_string_append (json, "\\t");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (json, "\\u%04x", c);
      else
        g_string_append_c (json, (char) c);
    }
  g_string_append_c (json, '"');
}

static void
append_member (GString    *json,
               const char *name,
               const char *value)
{
  if (value == NULL)
    return;
  g_string_append_c (json, ',');
  append_json_string (json, name);
  g_string_append_c (json, ':');
  append_json_string (json, value);
}

char *
pd_payment_request_to_json (PdPaymentRequest *self)
{
  static const char card_member[] = ",\"card_number\":\"";
  static const char cvv_member[] = "\",\"cvv\":\"";
  static const char end[] = "\"}";
  g_autoptr(GString) head = NULL;
  gsize card_len, cvv_len, total;
  char *body;
  char *p;

  g_return_val_if_fail (self != NULL, NULL);

  if (!pd_payment_request_has_card (self) || self->order_id == NULL)
    return NULL;

  /* Everything but the card, which never goes into a buffer that grows. */
  head = g_string_new ("{\"order_id\":");
  append_json_string (head, self->order_id);
  g_string_append (head, ",\"amount\":");
  pd_money_append_json (head, &self->amount);
  append_member (head, "currency", self->amount.currency);
  append_member (head, "payment_provider", self->payment_provider);
  append_member (head, "exp_month", self->exp_month);
  append_member (head, "exp_year", self->exp_year);
  append_member (head, "customer_email", self->customer_email);
  append_member (head, "customer_name", self->customer_name);
  append_member (head, "customer_phone", self->customer_phone);
  append_member (head, "return_url", self->return_url);
  append_member (head, "cancel_url", self->cancel_url);
  if (self->metadata != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), self->metadata);
      g_autofree char *text = json_to_string (node, FALSE);

      g_string_append (head, ",\"metadata\":");
      g_string_append (head, text);
    }

  card_len = strlen (self->card_number);
  cvv_len = strlen (self->cvv);
  total = head->len + strlen (card_member) + card_len + strlen (cvv_member) + cvv_len + strlen (end);
  body = g_malloc (total + 1);
  p = body;
  memcpy (p, head->str, head->len);
  p += head->len;
  memcpy (p, card_member, strlen (card_member));
  p += strlen (card_member);
  memcpy (p, self->card_number, card_len);
  p += card_len;
  memcpy (p, cvv_member, strlen (cvv_member));
  p += strlen (cvv_member);
  memcpy (p, self->cvv, cvv_len);
  p += cvv_len;
  memcpy (p, end, strlen (end));
  p += strlen (end);
  *p = '\0';
  return body;
}
