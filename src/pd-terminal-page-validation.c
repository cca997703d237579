/* pd-terminal-page-validation.c: PdTerminalPage reads and checks its form, and
 * shows what is wrong next to each field */
#define G_LOG_DOMAIN "pd-terminal-page"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pd-terminal-page-private.h"

/* The spec's sandbox test cards: on a sandbox account these pass even
 * where Luhn says no (the CyberSource decline card fails it). */
static const char * const sandbox_test_cards[] = {
  "4111111111111111",
  "5555555555554444",
  "378282246310005",
  "4111111111111112",
  "4242424242424242",
  "5123450000000008",
  "340000000000009",
  "4000000000000002",
};

static char *
dup_entry_text (gpointer editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable))));
}

static const char *
empty_to_null (const char *text)
{
  return text != NULL && text[0] != '\0' ? text : NULL;
}

static gboolean
is_sandbox_test_card (const char *digits)
{
  for (guint i = 0; i < G_N_ELEMENTS (sandbox_test_cards); i++)
    if (g_str_equal (digits, sandbox_test_cards[i]))
      return TRUE;
  return FALSE;
}

/* Same rule as the gateway's: one @, a dot in the domain, no spaces. */
static gboolean
is_valid_email (const char *text)
{
  const char *at = strchr (text, '@');
  const char *dot;

  if (at == NULL || at == text || strchr (at + 1, '@') != NULL)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p <= ' ' || *p == '<' || *p == '>' || *p == '"' || *p == ',' || *p == '\\')
      return FALSE;
  dot = strrchr (at + 1, '.');
  return dot != NULL && dot > at + 1 && dot[1] != '\0' && strstr (at + 1, "..") == NULL && at[1] != '.';
}

/* The address the gateway sends the customer to, told apart per payment. */
static char *
dup_payment_url (const char *base,
                 const char *order_id)
{
  g_autofree char *escaped = g_uri_escape_string (order_id, NULL, FALSE);

  if (g_str_has_suffix (base, "/"))
    return g_strconcat (base, escaped, NULL);
  return g_strconcat (base, "/", escaped, NULL);
}

/* Field errors ---------------------------------------------------------------- */

static GtkLabel *
error_label_for (PdTerminalPage *self,
                 GtkWidget      *field)
{
  if (field == GTK_WIDGET (self->amount_entry) || field == GTK_WIDGET (self->currency_picker))
    return self->amount_error;
  if (field == self->provider_entry)
    return self->provider_error;
  if (field == GTK_WIDGET (self->name_entry))
    return self->name_error;
  if (field == GTK_WIDGET (self->email_entry))
    return self->email_error;
  if (field == GTK_WIDGET (self->phone_entry))
    return self->phone_error;
  if (field == GTK_WIDGET (self->order_id_entry))
    return self->order_id_error;
  if (field == GTK_WIDGET (self->card_entry))
    return self->card_error;
  if (field == GTK_WIDGET (self->expiry_entry))
    return self->expiry_error;
  if (field == GTK_WIDGET (self->cvv_entry))
    return self->cvv_error;
  return NULL;
}

void
pd_terminal_page_set_field_error (PdTerminalPage *self,
                                  GtkWidget      *field,
                                  const char     *message)
{
  GtkLabel *label = error_label_for (self, field);

  if (label == NULL)
    return;

  /* Several messages for one field (the gateway's) are read one after the other. */
  if (message != NULL && gtk_widget_get_visible (GTK_WIDGET (label)))
    {
      g_autofree char *both = g_strconcat (gtk_label_get_label (label), "\n", message, NULL);

      gtk_label_set_label (label, both);
    }
  else
    gtk_label_set_label (label, message);
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);

  if (message != NULL)
    gtk_widget_add_css_class (field, "error");
  else
    gtk_widget_remove_css_class (field, "error");
}

void
pd_terminal_page_clear_field_errors (PdTerminalPage *self)
{
  GtkWidget *fields[] = {
    GTK_WIDGET (self->amount_entry), self->provider_entry, GTK_WIDGET (self->name_entry),
    GTK_WIDGET (self->email_entry), GTK_WIDGET (self->phone_entry), GTK_WIDGET (self->order_id_entry),
    GTK_WIDGET (self->card_entry), GTK_WIDGET (self->expiry_entry), GTK_WIDGET (self->cvv_entry),
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    pd_terminal_page_set_field_error (self, fields[i], NULL);
  pd_metadata_editor_set_error (self->metadata_editor, NULL);
}

/* Reading the form --------------------------------------------------------------- */

/* Reads and checks the form. On success *@request holds the card (wipe it
 * by sending or unreffing) and self->transaction what may be kept. */
gboolean
pd_terminal_page_read_form (PdTerminalPage    *self,
                            PdPaymentRequest **request_out)
{
  PdAccount *account = pd_terminal_page_get_account (self);
  g_autoptr(PdPaymentRequest) request = NULL;
  g_autoptr(JsonObject) metadata = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *name = dup_entry_text (self->name_entry);
  g_autofree char *email = dup_entry_text (self->email_entry);
  g_autofree char *phone = dup_entry_text (self->phone_entry);
  g_autofree char *order_id = dup_entry_text (self->order_id_entry);
  g_autofree char *expiry_text = dup_entry_text (self->expiry_entry);
  const char *cvv = gtk_editable_get_text (GTK_EDITABLE (self->cvv_entry));
  const char *provider = pd_terminal_page_selected_provider (self);
  GtkWidget *first_error = NULL;
  char digits[PD_CARD_DIGITS_SIZE];
  char month[3], year[5];
  PdCardBrand brand = PD_CARD_BRAND_UNKNOWN;
  PdCardExpiry expiry = { 0 };
  PdMoney amount = { 0 };
  char last_four[5] = { 0 };

#define FIELD_ERROR(field, message) \
  G_STMT_START { \
    pd_terminal_page_set_field_error (self, GTK_WIDGET (field), (message)); \
    if (first_error == NULL) \
      first_error = GTK_WIDGET (field); \
  } G_STMT_END

  pd_terminal_page_clear_field_errors (self);

  if (!pd_amount_entry_get_money (self->amount_entry, &amount, &error))
    FIELD_ERROR (self->amount_entry, error->message);
  g_clear_error (&error);

  if (provider == NULL)
    FIELD_ERROR (self->provider_entry, _("Choose the provider for this payment"));

  if (email[0] != '\0' && !is_valid_email (email))
    FIELD_ERROR (self->email_entry, _("This is not an email address"));

  if (order_id[0] == '\0')
    FIELD_ERROR (self->order_id_entry, _("Enter an order ID"));
  else if (!g_utf8_validate (order_id, -1, NULL) || g_utf8_strlen (order_id, -1) > 255)
    FIELD_ERROR (self->order_id_entry, _("An order ID has at most 255 characters"));

  if (!pd_metadata_editor_get_metadata (self->metadata_editor, &metadata, &error) && first_error == NULL)
    first_error = GTK_WIDGET (self->metadata_editor);
  g_clear_error (&error);

  pd_card_entry_get_digits (self->card_entry, digits);
  if (!pd_card_validate_number (digits, &brand, &error))
    {
      /* A merchant must be able to practise a decline on the sandbox. */
      if (g_error_matches (error, PD_CARD_ERROR, PD_CARD_ERROR_CHECKSUM) &&
          pd_account_get_sandbox (account) && is_sandbox_test_card (digits))
        brand = pd_card_detect_brand (digits);
      else
        FIELD_ERROR (self->card_entry, error->message);
      g_clear_error (&error);
    }
  if (brand == PD_CARD_BRAND_UNKNOWN)
    brand = pd_card_entry_get_brand (self->card_entry);

  if (!pd_card_expiry_parse_text (expiry_text, now, &expiry, &error))
    FIELD_ERROR (self->expiry_entry, error->message);
  g_clear_error (&error);

  if (!pd_card_validate_cvv (cvv, brand, &error))
    FIELD_ERROR (self->cvv_entry, error->message);
  g_clear_error (&error);

#undef FIELD_ERROR

  if (first_error != NULL)
    {
      pd_card_wipe (digits, sizeof digits);
      gtk_widget_grab_focus (first_error);
      return FALSE;
    }

  pd_card_expiry_to_wire (&expiry, month, year);
  request = pd_payment_request_new (&amount, provider);
  pd_payment_request_set_order_id (request, order_id);
  if (!pd_payment_request_set_card (request, digits, month, year, cvv, &error))
    {
      pd_card_wipe (digits, sizeof digits);
      pd_terminal_page_set_field_error (self, GTK_WIDGET (self->card_entry), error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->card_entry));
      return FALSE;
    }
  pd_card_last_four (digits, last_four);
  pd_card_wipe (digits, sizeof digits);

  pd_payment_request_set_customer (request, empty_to_null (email), empty_to_null (name), empty_to_null (phone));
  g_free (self->return_url);
  g_free (self->cancel_url);
  self->return_url = dup_payment_url (pd_account_get_return_url (account), order_id);
  self->cancel_url = dup_payment_url (pd_account_get_cancel_url (account), order_id);
  pd_payment_request_set_urls (request, self->return_url, self->cancel_url);
  if (metadata != NULL)
    pd_payment_request_set_metadata (request, metadata);

  /* What the ledger may keep: brand and last four, never more. */
  g_clear_object (&self->transaction);
  self->transaction = pd_transaction_new ();
  pd_transaction_set_account_id (self->transaction, pd_account_get_id (account));
  pd_transaction_set_gateway (self->transaction, PD_GATEWAY_PESOGATE);
  pd_transaction_set_mode (self->transaction, pd_account_get_mode (account));
  pd_transaction_set_order_id (self->transaction, order_id);
  pd_transaction_set_amount (self->transaction, amount.minor);
  pd_transaction_set_currency (self->transaction, amount.currency);
  pd_transaction_set_status (self->transaction, PD_STATUS_INITIALIZED);
  pd_transaction_set_gateway_status (self->transaction, "initialized");
  pd_transaction_set_provider (self->transaction, provider);
  pd_transaction_set_payment_method (self->transaction, "card");
  pd_transaction_set_card_brand (self->transaction, pd_card_brand_to_key (brand));
  pd_transaction_set_card_last_four (self->transaction, last_four);
  pd_transaction_set_customer_name (self->transaction, empty_to_null (name));
  pd_transaction_set_customer_email (self->transaction, empty_to_null (email));
  pd_transaction_set_customer_phone (self->transaction, empty_to_null (phone));
  pd_transaction_set_created_at (self->transaction, g_date_time_to_unix (now));
  if (metadata != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), metadata);
      g_autofree char *text = json_to_string (node, FALSE);

      pd_transaction_set_metadata (self->transaction, text);
    }

  *request_out = g_steal_pointer (&request);
  return TRUE;
}
