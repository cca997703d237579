#define G_LOG_DOMAIN "pd-sandbox-paysgator"

#include "config.h"

#include <string.h>

#include "pd-sandbox-paysgator-private.h"

/* Checking input */

JsonNode *
pd_sandbox_paysgator_member (JsonObject *object,
                             const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? node : NULL;
}

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
node_is_number (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node)
         && (json_node_get_value_type (node) == G_TYPE_INT64
             || json_node_get_value_type (node) == G_TYPE_DOUBLE);
}

/* Reads an optional or required string member; absent or null is NULL. */
gboolean
pd_sandbox_paysgator_read_string (JsonObject  *object,
                                  const char  *name,
                                  gboolean     required,
                                  const char **out,
                                  GError     **error)
{
  JsonNode *node = pd_sandbox_paysgator_member (object, name);

  *out = NULL;
  if (node == NULL)
    {
      if (!required)
        return TRUE;
      g_set_error (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS, "%s is required", name);
      return FALSE;
    }
  if (!node_is_string (node))
    {
      g_set_error (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS, "%s must be a string", name);
      return FALSE;
    }
  if (required && json_node_get_string (node)[0] == '\0')
    {
      g_set_error (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS, "%s is required", name);
      return FALSE;
    }
  if (strlen (json_node_get_string (node)) > MAX_TEXT_LENGTH)
    {
      g_set_error (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                   "%s is longer than %d characters", name, MAX_TEXT_LENGTH);
      return FALSE;
    }
  *out = json_node_get_string (node);
  return TRUE;
}

gboolean
pd_sandbox_paysgator_read_object (JsonObject  *object,
                                  const char  *name,
                                  JsonObject **out,
                                  GError     **error)
{
  JsonNode *node = pd_sandbox_paysgator_member (object, name);

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS, "%s must be an object", name);
      return FALSE;
    }
  *out = json_node_get_object (node);
  return TRUE;
}

/* A JSON number, positive, with no more decimals than @currency has. */
gboolean
pd_sandbox_paysgator_read_amount (JsonObject      *object,
                                  const PdIso4217 *currency,
                                  gint64          *out,
                                  GError         **error)
{
  JsonNode *node = pd_sandbox_paysgator_member (object, "amount");
  PdDecimalStatus status;
  gint64 minor = 0;

  if (node == NULL)
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS, "amount is required");
      return FALSE;
    }
  if (!node_is_number (node))
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS, "amount must be a number");
      return FALSE;
    }

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      gint64 units = json_node_get_int (node);

      if (units < 0)
        status = PD_DECIMAL_NEGATIVE;
      else if (units > MAX_AMOUNT_MINOR / pd_sandbox_paysgator_minor_scale (currency->exponent))
        status = PD_DECIMAL_OVERFLOW;
      else
        {
          minor = units * pd_sandbox_paysgator_minor_scale (currency->exponent);
          status = PD_DECIMAL_OK;
        }
    }
  else
    status = pd_decimal_from_double (json_node_get_double (node), currency->exponent, &minor);

  switch (status)
    {
    case PD_DECIMAL_OK:
      break;
    case PD_DECIMAL_NEGATIVE:
      minor = 0;
      break;
    case PD_DECIMAL_TOO_PRECISE:
      g_set_error (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                   "amount has more decimals than %s allows (%u)", currency->code, currency->exponent);
      return FALSE;
    case PD_DECIMAL_OVERFLOW:
      minor = MAX_AMOUNT_MINOR + 1;
      break;
    case PD_DECIMAL_EMPTY:
    case PD_DECIMAL_SYNTAX:
    case PD_DECIMAL_NOT_FINITE:
    default:
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS, "amount must be a number");
      return FALSE;
    }

  if (minor <= 0)
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS, "amount must be greater than 0");
      return FALSE;
    }
  if (minor > MAX_AMOUNT_MINOR)
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS, "amount is too large");
      return FALSE;
    }

  *out = minor;
  return TRUE;
}

/* Reads an optional array of strings, each one of @names; returns the bits. */
gboolean
pd_sandbox_paysgator_read_choices (JsonObject         *object,
                                   const char         *name,
                                   const char * const *names,
                                   guint               n_names,
                                   guint              *bits_out,
                                   GError            **error)
{
  JsonNode *node = pd_sandbox_paysgator_member (object, name);
  g_autoptr(GString) allowed = g_string_new (NULL);
  JsonArray *array;

  for (guint i = 0; i < n_names; i++)
    g_string_append_printf (allowed, "%s%s", i > 0 ? ", " : "", names[i]);

  *bits_out = 0;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                   "%s must be an array of strings (%s)", name, allowed->str);
      return FALSE;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      guint bit = n_names;

      if (node_is_string (element))
        for (bit = 0; bit < n_names; bit++)
          if (g_str_equal (names[bit], json_node_get_string (element)))
            break;

      if (bit == n_names)
        {
          g_set_error (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                       "%s may only contain %s", name, allowed->str);
          return FALSE;
        }
      *bits_out |= 1u << bit;
    }

  return TRUE;
}

gboolean
pd_sandbox_paysgator_email_valid (const char *email)
{
  const char *at = strchr (email, '@');
  const char *domain;

  if (at == NULL || at == email || strchr (at + 1, '@') != NULL || strlen (email) > 254)
    return FALSE;

  for (const char *p = email; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p) || *p == '<' || *p == '>' || *p == ',')
      return FALSE;

  domain = at + 1;
  return strchr (domain, '.') != NULL && domain[0] != '.' && !g_str_has_suffix (domain, ".")
         && strstr (domain, "..") == NULL;
}

gboolean
pd_sandbox_paysgator_url_valid (const char *text)
{
  g_autoptr(GUri) uri = g_uri_parse (text, G_URI_FLAGS_ENCODED, NULL);

  return uri != NULL
         && (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0
             || g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0)
         && g_uri_get_host (uri) != NULL && g_uri_get_host (uri)[0] != '\0';
}

/* The nine national digits of a Mozambican mobile number (82–87 and seven
 * digits, optionally after +258 or 258, spaces and dashes allowed), or NULL. */
static char *
mozambican_mobile (const char *text)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  gboolean plus = text[0] == '+';

  for (const char *p = plus ? text + 1 : text; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (*p != ' ' && *p != '-')
        return NULL;
    }

  if (digits->len == 12 && g_str_has_prefix (digits->str, "258"))
    g_string_erase (digits, 0, 3);
  else if (plus)
    return NULL;

  if (digits->len != 9 || digits->str[0] != '8' || digits->str[1] < '2' || digits->str[1] > '7')
    return NULL;

  return g_string_free (g_steal_pointer (&digits), FALSE);
}

/* Checks what the payer gave for @method; *declined_out is whether the
 * sandbox's M-Pesa turns it down (numbers ending in 0000). */
gboolean
pd_sandbox_paysgator_check_payer (Method       method,
                                  const char  *phone,
                                  gboolean    *declined_out,
                                  GError     **error)
{
  g_autofree char *national = NULL;

  *declined_out = FALSE;
  if (method != METHOD_MPESA)
    return TRUE;

  if (phone == NULL || phone[0] == '\0')
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                           "payment_fields.phoneNumber is required for MPESA");
      return FALSE;
    }

  national = mozambican_mobile (phone);
  if (national == NULL)
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                           "payment_fields.phoneNumber must be a Mozambican mobile number "
                           "(82 to 87 and 7 digits, e.g. 841234567 or +258841234567)");
      return FALSE;
    }

  *declined_out = g_str_has_suffix (national, "0000");
  return TRUE;
}

/* The confirmation both the API and the checkout page go through. */
gboolean
pd_sandbox_paysgator_confirm_link (PdSandboxPaysgator  *self,
                                   PaymentLink         *link,
                                   Method               method,
                                   const char          *phone,
                                   GError             **error)
{
  Transaction *txn = link->transaction;
  gboolean declined;

  if (txn->status != TXN_PENDING)
    {
      g_set_error (error, PAYS_ERROR, PAYS_ERROR_INVALID_ACTION,
                   "This payment link is no longer payable: its transaction is %s",
                   txn_status_names[txn->status]);
      return FALSE;
    }

  if ((link->methods & method) == 0)
    {
      g_set_error (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                   "paymentMethod %s is not accepted by this payment link", pd_sandbox_paysgator_method_name (method));
      return FALSE;
    }

  if (!pd_sandbox_paysgator_check_payer (method, phone, &declined, error))
    return FALSE;

  pd_sandbox_paysgator_transaction_settle (self, txn, method, !declined);
  if (declined)
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_PAYMENT_FAILED,
                           "M-Pesa declined the payment (sandbox numbers ending in 0000 always fail)");
      return FALSE;
    }

  return TRUE;
}

/* Writing JSON */

void
pd_sandbox_paysgator_add_string (JsonBuilder *builder,
                                 const char  *name,
                                 const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* Amounts are JSON numbers: whole units, or the shortest double that reads as
 * the exact decimal (minor / 10^exponent is correctly rounded). */
void
pd_sandbox_paysgator_add_amount (JsonBuilder     *builder,
                                 const char      *name,
                                 gint64           minor,
                                 const PdIso4217 *currency)
{
  json_builder_set_member_name (builder, name);
  if (currency->exponent == 0)
    json_builder_add_int_value (builder, minor);
  else
    json_builder_add_double_value (builder, (double) minor / (double) pd_sandbox_paysgator_minor_scale (currency->exponent));
}

/* Zero is no time at all: null. */
void
pd_sandbox_paysgator_add_time (JsonBuilder *builder,
                               const char  *name,
                               gint64       unix_time)
{
  g_autofree char *text = unix_time != 0 ? pd_sandbox_format_time (unix_time) : NULL;

  pd_sandbox_paysgator_add_string (builder, name, text);
}

/* Starts {"success": true, "data": … ; the caller adds data and ends the object. */
JsonBuilder *
pd_sandbox_paysgator_begin_success (void)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "success");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "data");
  return builder;
}

void
pd_sandbox_paysgator_reply_error (SoupServerMessage *msg,
                                  const GError      *error)
{
  g_assert (error->domain == PAYS_ERROR);
  g_assert ((guint) error->code < G_N_ELEMENTS (pays_errors));

  pd_sandbox_reply_paysgator_error (msg, pays_errors[error->code].status,
                                    pays_errors[error->code].code, error->message);
}
