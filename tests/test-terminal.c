/* test-terminal.c: the virtual terminal, end to end against the sandbox
 *
 * Runs under Xvfb with the private, unlocked gnome-keyring of
 * `build-aux/dev test` (TESTING.md): each test opens a real
 * PdAccountSession on a sandbox account (keys in that keyring) with a
 * ledger in a temporary folder, fills the New Payment form through its
 * widgets, charges through the page's action, and passes the bank's
 * 3-D Secure page inside the real WebKitWebView by running JavaScript in
 * it. Card numbers and security codes are only ever named by constant, so
 * no failure message prints one (test-no-card-data.sh greps the logs).
 */
#define G_LOG_DOMAIN "test-terminal"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>
#include <webkit/webkit.h>

#include "pd-account-session.h"
#include "pd-amount-entry.h"
#include "pd-card-entry.h"
#include "pd-challenge-view.h"
#include "pd-currency-picker.h"
#include "pd-error.h"
#include "pd-metadata-editor.h"
#include "pd-receipt.h"
#include "pd-sandbox.h"
#include "pd-terminal-page.h"
#include "pd-test-sandbox.h"
#include "paydesk-resources.h"

#define INIT_PATH "/pesogate/api/v1/payments/initialize"

/* The spec's test cards, and distinctive security codes. */
static const char VISA_MPGS[] = "4242424242424242";
static const char VISA_MPGS_GROUPED[] = "4242 4242 4242 4242";
static const char VISA_MPGS_DASHED[] = "4242-4242-4242-4242";
static const char VISA_CYBERSOURCE[] = "4111111111111111";
static const char VISA_DECLINE[] = "4111111111111112";
static const char AMEX_CYBERSOURCE[] = "378282246310005";
static const char AMEX_GROUPED[] = "3782 822463 10005";
static const char NOT_LUHN[] = "4242424242424241";
static const char CVV_3[] = "739";
static const char CVV_4[] = "8412";

static PdTestSandbox *sandbox;
static char *tmp_root;
static gboolean have_keyring;
static PdLedger *ledger;
static PdAccountStore *store;
static PdAccount *good_account;
static PdAccount *bad_key_account;
static PdAccount *unreachable_account;
static PdAccount *missing_account;
static PdAccount *tls_account;
static char *far_expiry;
static GSocketService *plain_server;

typedef struct
{
  PdAccountSession *session;
  GtkWindow        *window;
  PdTerminalPage   *page;
} Fixture;

/* Helpers -------------------------------------------------------------------- */

static gboolean
keep_waking (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main context until @cond holds; fails after 20 s. */
#define WAIT_FOR(cond) \
  G_STMT_START { \
    gint64 deadline_ = g_get_monotonic_time () + 20 * G_USEC_PER_SEC; \
    guint tick_ = g_timeout_add (10, keep_waking, NULL); \
    while (!(cond)) \
      { \
        if (g_get_monotonic_time () > deadline_) \
          g_error ("Timed out waiting for %s", #cond); \
        g_main_context_iteration (NULL, TRUE); \
      } \
    g_source_remove (tick_); \
  } G_STMT_END

static void
run_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  WAIT_FOR (g_get_monotonic_time () >= end);
}

static GtkWidget *
find_widget (GtkWidget  *root,
             GType       type,
             const char *name)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) &&
      (name == NULL || g_strcmp0 (gtk_widget_get_name (root), name) == 0))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkLabel *
find_label (GtkWidget  *root,
            const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (root)), text) == 0)
    return GTK_LABEL (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The field a label names, as a person finds it. */
static GtkWidget *
field (Fixture    *f,
       const char *label)
{
  GtkLabel *found = find_label (GTK_WIDGET (f->page), label);

  g_assert_nonnull (found);
  g_assert_nonnull (gtk_label_get_mnemonic_widget (found));
  return gtk_label_get_mnemonic_widget (found);
}

/* The message under a field, or NULL when none shows. */
static const char *
field_error (Fixture    *f,
             const char *label)
{
  GtkWidget *box = gtk_widget_get_parent (GTK_WIDGET (find_label (GTK_WIDGET (f->page), label)));
  GtkWidget *error = gtk_widget_get_last_child (box);

  g_assert_true (GTK_IS_LABEL (error));
  return gtk_widget_get_visible (error) ? gtk_label_get_label (GTK_LABEL (error)) : NULL;
}

static const char *
text_of (Fixture    *f,
         const char *label)
{
  return gtk_editable_get_text (GTK_EDITABLE (field (f, label)));
}

static void
set_text (Fixture    *f,
          const char *label,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (field (f, label)), text);
}

/* The message at the top of the form, or NULL when none shows. */
static const char *
form_message (Fixture *f)
{
  GtkWidget *label = find_widget (GTK_WIDGET (f->page), GTK_TYPE_LABEL, "terminal-message");

  return gtk_widget_get_visible (gtk_widget_get_parent (label)) ? gtk_label_get_label (GTK_LABEL (label)) : NULL;
}

static const char *
progress_text (Fixture *f)
{
  GtkWidget *label = find_widget (GTK_WIDGET (f->page), GTK_TYPE_LABEL, "terminal-progress");

  return gtk_widget_get_visible (gtk_widget_get_parent (label)) ? gtk_label_get_label (GTK_LABEL (label)) : "";
}

static void
choose_provider (Fixture    *f,
                 const char *label)
{
  GtkWidget *found = GTK_WIDGET (find_label (GTK_WIDGET (f->page), label));

  g_assert_nonnull (found);
  found = gtk_widget_get_ancestor (found, GTK_TYPE_TOGGLE_BUTTON);
  g_assert_nonnull (found);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (found), TRUE);
}

static gboolean
card_fields_empty (Fixture *f)
{
  return text_of (f, "Card _Number")[0] == '\0' && text_of (f, "Security _Code")[0] == '\0';
}

static PdReceipt *
receipt (Fixture *f)
{
  return PD_RECEIPT (find_widget (GTK_WIDGET (f->page), PD_TYPE_RECEIPT, NULL));
}

static gboolean
receipt_shows (Fixture    *f,
               const char *status)
{
  return gtk_widget_get_mapped (GTK_WIDGET (receipt (f))) &&
         g_strcmp0 (pd_receipt_get_status_text (receipt (f)), status) == 0;
}

static PdChallengeView *
challenge (Fixture *f)
{
  return PD_CHALLENGE_VIEW (find_widget (GTK_WIDGET (f->page), PD_TYPE_CHALLENGE_VIEW, NULL));
}

static gboolean
challenge_shown (Fixture *f)
{
  return gtk_widget_get_mapped (GTK_WIDGET (challenge (f))) && pd_challenge_view_get_active (challenge (f));
}

static GtkWidget *
find_action_button (GtkWidget  *root,
                    const char *action_name)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action_name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action_button (child, action_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
charge_button (Fixture *f)
{
  return find_action_button (GTK_WIDGET (f->page), "terminal.charge");
}

static void
charge (Fixture *f)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "terminal.charge", NULL));
}

static char *
expiry_in_years (int years)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_strdup_printf ("%02d/%02d", g_date_time_get_month (now), (g_date_time_get_year (now) + years) % 100);
}

/* Fills the form for one payment: the amount in USD. */
static void
fill (Fixture    *f,
      const char *amount,
      const char *provider,
      const char *card,
      const char *expiry,
      const char *cvv)
{
  set_text (f, "_Amount", amount);
  choose_provider (f, provider);
  set_text (f, "Card _Number", card);
  set_text (f, "E_xpiry", expiry);
  set_text (f, "Security _Code", cvv);
}

static JsonArray *
initialize_requests (void)
{
  return pd_test_sandbox_requests (sandbox, INIT_PATH);
}

static void
clear_faults (void)
{
  g_autoptr(PdTestResponse) resp = pd_test_http (sandbox, "DELETE", "/_sandbox/faults", NULL, NULL, NULL);

  g_assert_cmpuint (resp->status / 100, ==, 2);
}

/* JavaScript in the challenge ------------------------------------------------ */

typedef struct
{
  gboolean  done;
  JSCValue *value;
} JsResult;

static void
js_done_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  JsResult *js = user_data;

  js->value = webkit_web_view_evaluate_javascript_finish (WEBKIT_WEB_VIEW (source), result, NULL);
  js->done = TRUE;
}

/* The value of @script in the challenge's page, or NULL when there is none. */
static JSCValue *
run_js (Fixture    *f,
        const char *script)
{
  GtkWidget *web_view = pd_challenge_view_get_web_view (challenge (f));
  JsResult js = { FALSE, NULL };

  if (web_view == NULL)
    return NULL;
  webkit_web_view_evaluate_javascript (WEBKIT_WEB_VIEW (web_view), script, -1, NULL, NULL, NULL, js_done_cb, &js);
  WAIT_FOR (js.done);
  return js.value;
}

/* The ACS page's document: MPGS posts it into the iframe challengeFrame
 * (same origin), CyberSource's redirect page into the top frame. */
#define ACS_DOCUMENT \
  "var frame = document.querySelector('iframe[name=challengeFrame]');" \
  "var doc = frame ? frame.contentDocument : document;" \
  "var otp = doc ? doc.getElementById('otp') : null;"

/* Types @code into the ACS page and presses its @button ("submit" or "cancel"). */
static void
answer_challenge (Fixture    *f,
                  const char *code,
                  const char *button)
{
  g_autofree char *script = g_strdup_printf ("(function () {" ACS_DOCUMENT
                                             "  if (!otp || doc.readyState !== 'complete') return false;"
                                             "  otp.value = '%s';"
                                             "  var b = doc.querySelector('button[value=%s]');"
                                             "  if (!b) return false;"
                                             "  b.click();"
                                             "  return true;"
                                             "})()", code, button);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(JSCValue) value = run_js (f, script);

      if (value != NULL && jsc_value_is_boolean (value) && jsc_value_to_boolean (value))
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("The ACS page did not show its code field");
      run_for (100);
    }
}

/* The challenge's token, once the ACS page shows. */
static char *
challenge_token (Fixture *f)
{
  const char *script = "(function () {" ACS_DOCUMENT
                       "  var creq = doc ? doc.querySelector('input[name=creq]') : null;"
                       "  return otp && creq ? creq.value : '';"
                       "})()";
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(JSCValue) value = run_js (f, script);
      g_autofree char *token = value != NULL ? jsc_value_to_string (value) : NULL;

      if (token != NULL && token[0] != '\0')
        return g_steal_pointer (&token);
      if (g_get_monotonic_time () > deadline)
        g_error ("The ACS page did not show");
      run_for (100);
    }
}

/* The ledger ----------------------------------------------------------------- */

typedef struct
{
  gboolean  done;
  gpointer  result;
} Async;

static void
found_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Async *async = user_data;

  async->result = pd_ledger_find_transaction_finish (PD_LEDGER (source), result, NULL);
  async->done = TRUE;
}

static PdTransaction *
ledger_row (const char *reference)
{
  Async async = { FALSE, NULL };

  pd_ledger_find_transaction_async (ledger, pd_account_get_id (good_account), reference, NULL, found_cb, &async);
  WAIT_FOR (async.done);
  return async.result;
}

static void
events_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Async *async = user_data;

  async->result = pd_ledger_list_events_finish (PD_LEDGER (source), result, NULL);
  async->done = TRUE;
}

static gboolean
has_event (const char        *reference,
           PdLedgerEventKind  kind)
{
  Async async = { FALSE, NULL };
  g_autoptr(GListModel) events = NULL;

  pd_ledger_list_events_async (ledger, pd_account_get_id (good_account), reference, NULL, events_cb, &async);
  WAIT_FOR (async.done);
  events = async.result;
  for (guint i = 0; events != NULL && i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(PdLedgerEvent) event = g_list_model_get_item (events, i);

      if (pd_ledger_event_get_kind (event) == kind)
        return TRUE;
    }
  return FALSE;
}

static gboolean
ledger_status_is (const char *reference,
                  PdStatus    status)
{
  g_autoptr(PdTransaction) row = ledger_row (reference);

  return row != NULL && pd_transaction_get_status (row) == status;
}

static gboolean
file_holds (const char *path,
            const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length;

  return g_file_get_contents (path, &contents, &length, NULL) &&
         memmem (contents, length, needle, strlen (needle)) != NULL;
}

/* Fixture ---------------------------------------------------------------------- */

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Async *async = user_data;
  g_autoptr(GError) error = NULL;

  async->result = pd_account_session_open_finish (result, &error);
  g_assert_no_error (error);
  async->done = TRUE;
}

static PdAccountSession *
open_session (PdAccount *account)
{
  Async async = { FALSE, NULL };

  pd_account_session_open_async (account, store, ledger, NULL, opened_cb, &async);
  WAIT_FOR (async.done);
  return async.result;
}

static void
fixture_open (Fixture   *f,
              PdAccount *account)
{
  f->session = open_session (account);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1100, 720);
  f->page = PD_TERMINAL_PAGE (pd_terminal_page_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  pd_terminal_page_set_session (f->page, f->session);
  gtk_window_present (f->window);
  WAIT_FOR (gtk_widget_get_mapped (field (f, "_Amount")));
  pd_test_sandbox_clear_requests (sandbox);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  if (!have_keyring)
    return;
  fixture_open (f, good_account);
}

static void
fixture_close (Fixture *f)
{
  gpointer page = f->page;

  g_object_add_weak_pointer (G_OBJECT (page), &page);
  gtk_window_destroy (f->window);
  /* Its last requests and ledger writes end first. */
  WAIT_FOR (page == NULL);
  g_clear_object (&f->session);
  f->window = NULL;
  f->page = NULL;
  clear_faults ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    fixture_close (f);
}

static gboolean
skip_without_keyring (void)
{
  if (have_keyring)
    return FALSE;
  g_test_skip ("needs an unlocked keyring (run through build-aux/dev test)");
  return TRUE;
}

/* Waits for a payment to end back in the form, and checks it is usable. */
static void
assert_back_in_form (Fixture *f)
{
  WAIT_FOR (!pd_terminal_page_get_busy (f->page) && form_message (f) != NULL);
  g_assert_true (gtk_widget_get_mapped (field (f, "Card _Number")));
  g_assert_true (gtk_widget_is_sensitive (field (f, "Card _Number")));
  g_assert_true (card_fields_empty (f));
  g_assert_nonnull (form_message (f));
  g_assert_cmpstr (form_message (f), !=, "");
}

/* Tests -------------------------------------------------------------------------- */

static void
test_card_entry (void)
{
  g_autoptr(GtkWidget) entry = g_object_ref_sink (pd_card_entry_new ());
  char digits[PD_CARD_DIGITS_SIZE];
  int position;

  gtk_editable_set_text (GTK_EDITABLE (entry), VISA_MPGS);
  g_assert_true (g_str_equal (gtk_editable_get_text (GTK_EDITABLE (entry)), VISA_MPGS_GROUPED));
  g_assert_cmpint (pd_card_entry_get_brand (PD_CARD_ENTRY (entry)), ==, PD_CARD_BRAND_VISA);
  g_assert_true (pd_card_entry_get_digits (PD_CARD_ENTRY (entry), digits));
  g_assert_true (g_str_equal (digits, VISA_MPGS));
  pd_card_wipe (digits, sizeof digits);

  /* Dashes and spaces pasted in, letters typed by mistake: only digits stay. */
  gtk_editable_set_text (GTK_EDITABLE (entry), VISA_MPGS_DASHED);
  g_assert_true (g_str_equal (gtk_editable_get_text (GTK_EDITABLE (entry)), VISA_MPGS_GROUPED));
  gtk_editable_set_text (GTK_EDITABLE (entry), "42x42");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "4242");

  /* American Express groups 4-6-5 and stops at 15 digits. */
  gtk_editable_set_text (GTK_EDITABLE (entry), AMEX_CYBERSOURCE);
  g_assert_true (g_str_equal (gtk_editable_get_text (GTK_EDITABLE (entry)), AMEX_GROUPED));
  g_assert_cmpint (pd_card_entry_get_brand (PD_CARD_ENTRY (entry)), ==, PD_CARD_BRAND_AMEX);
  position = (int) strlen (AMEX_GROUPED);
  gtk_editable_insert_text (GTK_EDITABLE (entry), "9", 1, &position);
  g_assert_true (g_str_equal (gtk_editable_get_text (GTK_EDITABLE (entry)), AMEX_GROUPED));

  /* Typed one digit at a time, the groups appear as they fill. */
  pd_card_entry_wipe (PD_CARD_ENTRY (entry));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  for (guint i = 0; i < 5; i++)
    {
      position = gtk_editable_get_position (GTK_EDITABLE (entry));
      gtk_editable_insert_text (GTK_EDITABLE (entry), "5", 1, &position);
      gtk_editable_set_position (GTK_EDITABLE (entry), position);
    }
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "5555 5");
  g_assert_cmpint (gtk_editable_get_position (GTK_EDITABLE (entry)), ==, 6);
  g_assert_cmpint (pd_card_entry_get_brand (PD_CARD_ENTRY (entry)), ==, PD_CARD_BRAND_MASTERCARD);

  /* Backspace over the space between groups takes the digit before it. */
  gtk_editable_set_position (GTK_EDITABLE (entry), 5);
  gtk_editable_delete_text (GTK_EDITABLE (entry), 4, 5);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "5555");
  g_assert_cmpint (gtk_editable_get_position (GTK_EDITABLE (entry)), ==, 3);

  pd_card_entry_wipe (PD_CARD_ENTRY (entry));
  g_assert_cmpint (pd_card_entry_get_brand (PD_CARD_ENTRY (entry)), ==, PD_CARD_BRAND_UNKNOWN);
  g_assert_false (pd_card_entry_get_digits (PD_CARD_ENTRY (entry), digits));
}

static void
test_amount_and_currency (void)
{
  g_autoptr(GtkWidget) amount = g_object_ref_sink (pd_amount_entry_new ());
  g_autoptr(GtkWidget) picker = g_object_ref_sink (pd_currency_picker_new ());
  static const char * const usual[] = { "EUR", "KES", "EUR", "XXQ", NULL };
  g_autoptr(GError) error = NULL;
  PdMoney money;

  gtk_editable_set_text (GTK_EDITABLE (amount), "100.10");
  g_assert_true (pd_amount_entry_get_money (PD_AMOUNT_ENTRY (amount), &money, &error));
  g_assert_no_error (error);
  g_assert_cmpint (money.minor, ==, 10010);
  g_assert_cmpstr (money.currency, ==, "USD");

  /* Exact per currency: yen have no decimals, dinars three. */
  pd_amount_entry_set_currency (PD_AMOUNT_ENTRY (amount), "JPY");
  g_assert_false (pd_amount_entry_get_money (PD_AMOUNT_ENTRY (amount), &money, &error));
  g_assert_error (error, PD_MONEY_ERROR, PD_MONEY_ERROR_TOO_PRECISE);
  g_clear_error (&error);
  pd_amount_entry_set_currency (PD_AMOUNT_ENTRY (amount), "KWD");
  gtk_editable_set_text (GTK_EDITABLE (amount), "1.234");
  g_assert_true (pd_amount_entry_get_money (PD_AMOUNT_ENTRY (amount), &money, NULL));
  g_assert_cmpint (money.minor, ==, 1234);

  /* Below the gateway's minimum, empty, letters. */
  pd_amount_entry_set_currency (PD_AMOUNT_ENTRY (amount), "USD");
  gtk_editable_set_text (GTK_EDITABLE (amount), "0.00");
  g_assert_false (pd_amount_entry_get_money (PD_AMOUNT_ENTRY (amount), &money, &error));
  g_assert_true (strstr (error->message, "0.01") != NULL);
  g_clear_error (&error);
  gtk_editable_set_text (GTK_EDITABLE (amount), "");
  g_assert_false (pd_amount_entry_get_money (PD_AMOUNT_ENTRY (amount), &money, &error));
  g_assert_error (error, PD_MONEY_ERROR, PD_MONEY_ERROR_EMPTY);
  g_clear_error (&error);
  gtk_editable_set_text (GTK_EDITABLE (amount), "12abc");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (amount)), ==, "12");

  /* The usual currencies first, once each, unknown codes dropped. */
  pd_currency_picker_set_usual_currencies (PD_CURRENCY_PICKER (picker), usual);
  g_assert_cmpstrv (pd_currency_picker_get_usual_currencies (PD_CURRENCY_PICKER (picker)),
                    ((const char * const[]) { "EUR", "KES", NULL }));

  /* Any ISO 4217 currency, by code or by name. */
  pd_currency_picker_set_search (PD_CURRENCY_PICKER (picker), "kwd");
  g_assert_cmpuint (pd_currency_picker_get_n_shown (PD_CURRENCY_PICKER (picker)), ==, 1);
  pd_currency_picker_set_search (PD_CURRENCY_PICKER (picker), "mozambican");
  g_assert_cmpuint (pd_currency_picker_get_n_shown (PD_CURRENCY_PICKER (picker)), ==, 1);
  pd_currency_picker_set_search (PD_CURRENCY_PICKER (picker), "zzzz");
  g_assert_cmpuint (pd_currency_picker_get_n_shown (PD_CURRENCY_PICKER (picker)), ==, 0);
  pd_currency_picker_set_search (PD_CURRENCY_PICKER (picker), "");
  g_assert_cmpuint (pd_currency_picker_get_n_shown (PD_CURRENCY_PICKER (picker)), >, 150);

  pd_currency_picker_set_currency (PD_CURRENCY_PICKER (picker), "MZN");
  g_assert_cmpstr (pd_currency_picker_get_currency (PD_CURRENCY_PICKER (picker)), ==, "MZN");
  pd_currency_picker_set_currency (PD_CURRENCY_PICKER (picker), "XXQ");
  g_assert_cmpstr (pd_currency_picker_get_currency (PD_CURRENCY_PICKER (picker)), ==, "MZN");
}

static void
test_metadata (void)
{
  g_autoptr(GtkWidget) editor = g_object_ref_sink (pd_metadata_editor_new ());
  g_autoptr(JsonObject) metadata = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *row;

  g_assert_true (pd_metadata_editor_get_metadata (PD_METADATA_EDITOR (editor), &metadata, &error));
  g_assert_null (metadata);

  pd_metadata_editor_add_field (PD_METADATA_EDITOR (editor), "desk", "front");
  pd_metadata_editor_add_field (PD_METADATA_EDITOR (editor), "", "");
  g_assert_true (pd_metadata_editor_get_metadata (PD_METADATA_EDITOR (editor), &metadata, &error));
  g_assert_cmpuint (json_object_get_size (metadata), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (metadata, "desk"), ==, "front");
  g_clear_pointer (&metadata, json_object_unref);

  row = pd_metadata_editor_add_field (PD_METADATA_EDITOR (editor), "desk", "back");
  g_assert_false (pd_metadata_editor_get_metadata (PD_METADATA_EDITOR (editor), &metadata, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_signal_emit_by_name (row, "remove");
  g_assert_cmpuint (pd_metadata_editor_get_n_fields (PD_METADATA_EDITOR (editor)), ==, 2);

  pd_metadata_editor_add_field (PD_METADATA_EDITOR (editor), "", "lonely value");
  g_assert_false (pd_metadata_editor_get_metadata (PD_METADATA_EDITOR (editor), &metadata, &error));
  g_clear_error (&error);

  pd_metadata_editor_clear (PD_METADATA_EDITOR (editor));
  for (guint i = 0; i < PD_METADATA_MAX_FIELDS; i++)
    g_assert_nonnull (pd_metadata_editor_add_field (PD_METADATA_EDITOR (editor), NULL, NULL));
  g_assert_null (pd_metadata_editor_add_field (PD_METADATA_EDITOR (editor), NULL, NULL));
}

static void
test_validation (Fixture       *f,
                 gconstpointer  data)
{
  PdAccount *account;
  g_autofree char *past = NULL;
  g_autoptr(JsonArray) requests = NULL;

  if (skip_without_keyring ())
    return;

  /* Pre-filled: an order id, the account's first currency and provider. */
  g_assert_true (g_str_has_prefix (text_of (f, "_Order ID"), "PD-"));
  g_assert_cmpstr (pd_currency_picker_get_currency (PD_CURRENCY_PICKER (find_widget (GTK_WIDGET (f->page),
                                                                                      PD_TYPE_CURRENCY_PICKER,
                                                                                      NULL))), ==, "USD");

  /* Nothing typed: every required field says so, and nothing is sent. */
  charge (f);
  g_assert_nonnull (field_error (f, "_Amount"));
  g_assert_nonnull (field_error (f, "Card _Number"));
  g_assert_nonnull (field_error (f, "E_xpiry"));
  g_assert_nonnull (field_error (f, "Security _Code"));
  g_assert_null (field_error (f, "Customer _Name"));
  g_assert_false (pd_terminal_page_get_busy (f->page));

  /* A typo in the number, a past month, a short code, a bad email. */
  past = expiry_in_years (-1);
  fill (f, "10.00", "MPGS", NOT_LUHN, past, "73");
  set_text (f, "_Email", "not an address");
  charge (f);
  g_assert_null (field_error (f, "_Amount"));
  g_assert_true (strstr (field_error (f, "Card _Number"), "typing mistake") != NULL);
  g_assert_nonnull (field_error (f, "E_xpiry"));
  g_assert_nonnull (field_error (f, "Security _Code"));
  g_assert_nonnull (field_error (f, "_Email"));

  /* Editing a field takes its message away. */
  set_text (f, "_Email", "");
  g_assert_null (field_error (f, "_Email"));

  /* American Express wants four digits. */
  set_text (f, "Card _Number", AMEX_CYBERSOURCE);
  set_text (f, "Security _Code", CVV_3);
  set_text (f, "E_xpiry", far_expiry);
  charge (f);
  g_assert_null (field_error (f, "Card _Number"));
  g_assert_true (strstr (field_error (f, "Security _Code"), "4") != NULL);
  set_text (f, "Security _Code", CVV_4);
  set_text (f, "_Order ID", "");
  charge (f);
  g_assert_null (field_error (f, "Security _Code"));
  g_assert_nonnull (field_error (f, "_Order ID"));

  /* The decline card fails Luhn: refused on a real account... */
  account = pd_account_session_get_account (f->session);
  pd_account_set_sandbox (account, FALSE);
  set_text (f, "Card _Number", VISA_DECLINE);
  set_text (f, "Security _Code", CVV_3);
  charge (f);
  g_assert_nonnull (field_error (f, "Card _Number"));
  g_assert_nonnull (field_error (f, "_Order ID"));
  pd_account_set_sandbox (account, TRUE);

  /* ...and taken on a sandbox one (the order id is what stops it here). */
  charge (f);
  g_assert_null (field_error (f, "Card _Number"));
  g_assert_nonnull (field_error (f, "_Order ID"));

  requests = initialize_requests ();
  g_assert_cmpuint (json_array_get_length (requests), ==, 0);

  /* Clear Form wipes the card and gives a new order id. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "terminal.reset", NULL));
  g_assert_true (card_fields_empty (f));
  g_assert_cmpstr (text_of (f, "E_xpiry"), ==, "");
  g_assert_true (g_str_has_prefix (text_of (f, "_Order ID"), "PD-"));
  g_assert_null (field_error (f, "_Order ID"));

  /* The expiry's slash comes by itself. */
  set_text (f, "E_xpiry", "1230");
  g_assert_cmpstr (text_of (f, "E_xpiry"), ==, "12/30");
}

static void
test_mpgs_challenge (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(PdTransaction) row = NULL;
  g_autofree char *order_id = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *text = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *ledger_wal = NULL;
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  PdMetadataEditor *metadata;

  if (skip_without_keyring ())
    return;

  fill (f, "25.50", "MPGS", VISA_MPGS, far_expiry, CVV_3);
  set_text (f, "Customer _Name", "Ana Langa");
  set_text (f, "_Email", "ana@example.com");
  set_text (f, "P_hone", "+258 84 000 0000");
  metadata = PD_METADATA_EDITOR (find_widget (GTK_WIDGET (f->page), PD_TYPE_METADATA_EDITOR, NULL));
  pd_metadata_editor_add_field (metadata, "desk", "phone orders");
  order_id = g_strdup (text_of (f, "_Order ID"));

  g_assert_true (gtk_widget_is_sensitive (charge_button (f)));
  charge (f);
  /* One press, one attempt: the card is gone from the form at once, and a
   * second press does nothing (one initialize below). */
  g_assert_true (pd_terminal_page_get_busy (f->page));
  g_assert_true (card_fields_empty (f));
  g_assert_false (gtk_widget_is_sensitive (charge_button (f)));
  gtk_widget_activate_action (GTK_WIDGET (f->page), "terminal.charge", NULL);

  WAIT_FOR (challenge_shown (f));
  answer_challenge (f, "1234", "submit");
  WAIT_FOR (receipt_shows (f, "Completed"));

  requests = initialize_requests ();
  g_assert_cmpuint (json_array_get_length (requests), ==, 1);

  /* The receipt: brand and last four, the order, the provider. */
  reference = g_strdup (pd_transaction_get_reference (pd_receipt_get_transaction (receipt (f))));
  text = pd_receipt_dup_text (receipt (f));
  g_assert_true (strstr (text, "Visa •••• 4242") != NULL);
  g_assert_true (strstr (text, order_id) != NULL);
  g_assert_true (strstr (text, reference) != NULL);
  g_assert_true (strstr (text, "MPGS") != NULL);
  g_assert_true (strstr (text, "25.50") != NULL && strstr (text, "USD") != NULL);
  g_assert_false (strstr (text, VISA_MPGS) != NULL);
  {
    GdkContentProvider *content;
    GValue value = G_VALUE_INIT;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (receipt (f)), "receipt.copy-reference", NULL));
    content = gdk_clipboard_get_content (gtk_widget_get_clipboard (GTK_WIDGET (f->page)));
    g_assert_nonnull (content);
    g_value_init (&value, G_TYPE_STRING);
    g_assert_true (gdk_content_provider_get_value (content, &value, NULL));
    g_assert_cmpstr (g_value_get_string (&value), ==, reference);
    g_value_unset (&value);
  }
  pdf = g_build_filename (tmp_root, "receipt.pdf", NULL);
  g_assert_true (pd_receipt_export_pdf (receipt (f), pdf, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));

  /* The ledger row: every step, brand and last four only. */
  WAIT_FOR (ledger_status_is (reference, PD_STATUS_COMPLETED) &&
            has_event (reference, PD_LEDGER_EVENT_RESULT));
  row = ledger_row (reference);
  g_assert_cmpstr (pd_transaction_get_order_id (row), ==, order_id);
  g_assert_cmpint (pd_transaction_get_amount (row), ==, 2550);
  g_assert_cmpstr (pd_transaction_get_currency (row), ==, "USD");
  g_assert_cmpstr (pd_transaction_get_provider (row), ==, "mpgs");
  g_assert_cmpstr (pd_transaction_get_card_brand (row), ==, "visa");
  g_assert_cmpstr (pd_transaction_get_card_last_four (row), ==, "4242");
  g_assert_cmpstr (pd_transaction_get_customer_name (row), ==, "Ana Langa");
  g_assert_cmpstr (pd_transaction_get_customer_email (row), ==, "ana@example.com");
  g_assert_true (strstr (pd_transaction_get_metadata (row), "phone orders") != NULL);
  g_assert_true (has_event (reference, PD_LEDGER_EVENT_CREATED));
  g_assert_true (has_event (reference, PD_LEDGER_EVENT_CHALLENGE_SHOWN));
  g_assert_true (has_event (reference, PD_LEDGER_EVENT_CHALLENGE_ENDED));
  g_assert_false (file_holds (pd_ledger_get_path (ledger), VISA_MPGS));
  ledger_wal = g_strconcat (pd_ledger_get_path (ledger), "-wal", NULL);
  g_assert_false (file_holds (ledger_wal, VISA_MPGS));

  /* New Payment: an empty form with a new order id. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "terminal.new-payment", NULL));
  g_assert_true (gtk_widget_get_mapped (field (f, "_Amount")));
  g_assert_cmpstr (text_of (f, "_Amount"), ==, "");
  g_assert_cmpstr (text_of (f, "_Order ID"), !=, order_id);

  /* That order id, used again: the ledger knows its payment, nothing is charged. */
  fill (f, "1.00", "MPGS", VISA_MPGS, far_expiry, CVV_3);
  set_text (f, "_Order ID", order_id);
  charge (f);
  WAIT_FOR (!pd_terminal_page_get_busy (f->page) && field_error (f, "_Order ID") != NULL);
  g_assert_true (strstr (field_error (f, "_Order ID"), reference) != NULL);
  g_assert_true (gtk_editable_get_editable (GTK_EDITABLE (field (f, "_Order ID"))));
  g_assert_true (card_fields_empty (f));
  g_assert_nonnull (form_message (f));
}

static void
test_cybersource_redirect (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(PdTransaction) row = NULL;
  const char *reference;

  if (skip_without_keyring ())
    return;

  fill (f, "12.00", "CyberSource", VISA_CYBERSOURCE, far_expiry, CVV_3);
  charge (f);
  WAIT_FOR (challenge_shown (f));
  answer_challenge (f, "1234", "submit");
  WAIT_FOR (receipt_shows (f, "Completed"));

  reference = pd_transaction_get_reference (pd_receipt_get_transaction (receipt (f)));
  WAIT_FOR (ledger_status_is (reference, PD_STATUS_COMPLETED));
  row = ledger_row (reference);
  g_assert_cmpstr (pd_transaction_get_provider (row), ==, "cybersource");
  g_assert_cmpstr (pd_transaction_get_card_last_four (row), ==, "1111");
}

static void
test_decline (Fixture       *f,
              gconstpointer  data)
{
  const char *reference;

  if (skip_without_keyring ())
    return;

  /* The decline card fails Luhn, and the sandbox account takes it. */
  fill (f, "5.00", "CyberSource", VISA_DECLINE, far_expiry, CVV_3);
  charge (f);
  WAIT_FOR (challenge_shown (f));
  answer_challenge (f, "1234", "submit");
  WAIT_FOR (receipt_shows (f, "Failed"));
  reference = pd_transaction_get_reference (pd_receipt_get_transaction (receipt (f)));
  WAIT_FOR (ledger_status_is (reference, PD_STATUS_FAILED));
}

static void
test_wrong_code (Fixture       *f,
                 gconstpointer  data)
{
  if (skip_without_keyring ())
    return;

  fill (f, "5.00", "MPGS", VISA_MPGS, far_expiry, CVV_3);
  charge (f);
  WAIT_FOR (challenge_shown (f));
  answer_challenge (f, "9999", "submit");
  WAIT_FOR (receipt_shows (f, "Failed"));
}

static void
test_page_cancel (Fixture       *f,
                  gconstpointer  data)
{
  if (skip_without_keyring ())
    return;

  fill (f, "5.00", "MPGS", VISA_MPGS, far_expiry, CVV_3);
  charge (f);
  WAIT_FOR (challenge_shown (f));
  answer_challenge (f, "", "cancel");
  WAIT_FOR (receipt_shows (f, "Cancelled"));
}

/* Escape closes the page before the customer is done: the gateway says
 * pending, and the receipt follows the gateway until it is final. */
static void
test_merchant_cancel_pending (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *token = NULL;
  g_autofree char *form = NULL;
  g_autoptr(PdTestResponse) resp = NULL;
  const char *reference;

  if (skip_without_keyring ())
    return;

  fill (f, "7.00", "MPGS", VISA_MPGS, far_expiry, CVV_3);
  charge (f);
  WAIT_FOR (challenge_shown (f));
  token = challenge_token (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "terminal.cancel-challenge", NULL));
  WAIT_FOR (receipt_shows (f, "Pending"));
  reference = pd_transaction_get_reference (pd_receipt_get_transaction (receipt (f)));
  WAIT_FOR (ledger_status_is (reference, PD_STATUS_PENDING) &&
            has_event (reference, PD_LEDGER_EVENT_CHALLENGE_ENDED));

  /* The customer finishes on another screen: the receipt updates itself. */
  form = g_strdup_printf ("creq=%s&otp=1234&action=submit", token);
  resp = pd_test_http (sandbox, "POST", "/pesogate/3ds/acs/complete", "application/x-www-form-urlencoded", form, NULL);
  g_assert_cmpuint (resp->status, <, 500);
  WAIT_FOR (receipt_shows (f, "Completed"));
  WAIT_FOR (ledger_status_is (reference, PD_STATUS_COMPLETED));
}

/* The gateway's 422: its message next to its field. The sandbox's clock
 * runs two years ahead, so a card this form takes has expired there. */
static void
test_gateway_validation (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *soon = expiry_in_years (1);

  if (skip_without_keyring ())
    return;

  pd_test_sandbox_advance_clock (sandbox, 2 * 366 * 24 * 3600);
  fill (f, "5.00", "MPGS", VISA_MPGS, soon, CVV_3);
  charge (f);
  WAIT_FOR (!pd_terminal_page_get_busy (f->page) && field_error (f, "E_xpiry") != NULL);
  g_assert_true (strstr (field_error (f, "E_xpiry"), "expired") != NULL);
  g_assert_null (field_error (f, "Card _Number"));
  assert_back_in_form (f);
  /* Nothing was taken: the same order id is free for the next attempt. */
  g_assert_true (gtk_editable_get_editable (GTK_EDITABLE (field (f, "_Order ID"))));
}

/* A 429: the wait shows, then the payment goes through. */
static void
test_rate_limited (Fixture       *f,
                   gconstpointer  data)
{
  gboolean saw_wait = FALSE;

  if (skip_without_keyring ())
    return;

  pd_test_sandbox_fault (sandbox, INIT_PATH, "rate_limit", 1, 2, FALSE);
  fill (f, "5.00", "MPGS", VISA_MPGS, far_expiry, CVV_3);
  charge (f);
  WAIT_FOR ((saw_wait = saw_wait || strstr (progress_text (f), "Waiting") != NULL) && challenge_shown (f));
  g_assert_true (saw_wait);
  answer_challenge (f, "1234", "submit");
  WAIT_FOR (receipt_shows (f, "Completed"));
}

/* How many of @requests the gateway answered with @status. */
static guint
count_status (JsonArray *requests,
              gint64     status)
{
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (requests); i++)
    if (json_object_get_int_member (json_array_get_object_element (requests, i), "status") == status)
      n++;
  return n;
}

/* The connection drops after the gateway took the payment: the app never
 * sends it again under another order id, and asks before any new attempt. */
static void
test_dropped_connection (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *order_id = NULL;
  g_autoptr(JsonArray) requests = NULL;
  GtkWindow *dialog = NULL;

  if (skip_without_keyring ())
    return;

  pd_test_sandbox_fault (sandbox, INIT_PATH, "reset", 1, 0, TRUE);
  fill (f, "5.00", "MPGS", VISA_MPGS, far_expiry, CVV_3);
  order_id = g_strdup (text_of (f, "_Order ID"));
  charge (f);
  assert_back_in_form (f);
  g_assert_true (strstr (form_message (f), order_id) != NULL);
  g_assert_cmpstr (text_of (f, "_Order ID"), ==, order_id);
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (field (f, "_Order ID"))));

  /* Charging again asks first, and sends the same order id. */
  fill (f, "5.00", "MPGS", VISA_MPGS, far_expiry, CVV_3);
  charge (f);
  g_assert_false (pd_terminal_page_get_busy (f->page));
  for (GList *l = gtk_window_list_toplevels (); l != NULL; l = g_list_delete_link (l, l))
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      dialog = l->data;
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "charge");
  gtk_window_destroy (dialog);
  g_assert_true (pd_terminal_page_get_busy (f->page));
  assert_back_in_form (f);
  g_assert_cmpstr (text_of (f, "_Order ID"), ==, order_id);

  /* Only after checking PesoGate's records: a new order id, asked for. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "terminal.new-order-id", NULL));
  dialog = NULL;
  for (GList *l = gtk_window_list_toplevels (); l != NULL; l = g_list_delete_link (l, l))
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      dialog = l->data;
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "new");
  gtk_window_destroy (dialog);
  g_assert_cmpstr (text_of (f, "_Order ID"), !=, order_id);
  g_assert_true (gtk_editable_get_editable (GTK_EDITABLE (field (f, "_Order ID"))));
  g_assert_null (form_message (f));

  /* The gateway took one payment: the first request, whose answer was
   * lost; every later one sent the same order id and was refused. */
  requests = initialize_requests ();
  g_assert_cmpuint (json_array_get_length (requests), >=, 3);
  g_assert_cmpuint (count_status (requests, 422), ==, json_array_get_length (requests) - 1);
}

/* Every fault kind ends in a clear message and a usable form. */
static void
test_faults (Fixture       *f,
             gconstpointer  data)
{
  static const struct
  {
    const char *kind;
    guint       param;
  } faults[] = {
    { "http_500", 0 },
    { "http_502", 0 },
    { "http_503", 0 },
    { "malformed", 0 },
    { "truncated", 0 },
    { "huge", 0 },
    { "delay", 3000 },
    { "reset", 0 },
  };

  if (skip_without_keyring ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      PdHttp *http;

      if (i > 0)
        {
          fixture_close (f);
          fixture_open (f, good_account);
        }
      /* One try, and a short timeout, so that each fault shows at once. */
      http = pd_pesogate_get_http (pd_account_session_get_pesogate (f->session));
      pd_http_set_max_attempts (http, 1);
      pd_http_set_timeout (http, 1);

      pd_test_sandbox_fault (sandbox, INIT_PATH, faults[i].kind, 1, faults[i].param, FALSE);
      fill (f, "5.00", "MPGS", VISA_MPGS, far_expiry, CVV_3);
      charge (f);
      g_assert_true (card_fields_empty (f));
      assert_back_in_form (f);
      g_test_message ("%s: %s", faults[i].kind, form_message (f));
      g_assert_true (gtk_widget_is_sensitive (charge_button (f)));
    }
}

static void
test_account_errors (Fixture       *f,
                     gconstpointer  data)
{
  PdAccount *accounts[] = { bad_key_account, unreachable_account, missing_account, tls_account };

  if (skip_without_keyring ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
    {
      GtkWidget *button;

      fixture_close (f);
      fixture_open (f, accounts[i]);
      pd_http_set_max_attempts (pd_pesogate_get_http (pd_account_session_get_pesogate (f->session)), 1);
      fill (f, "5.00", "MPGS", VISA_MPGS, far_expiry, CVV_3);
      charge (f);
      assert_back_in_form (f);
      g_test_message ("%s: %s", pd_account_get_display_name (accounts[i]), form_message (f));

      /* The wrong key: a way to fix it. */
      button = GTK_WIDGET (find_label (GTK_WIDGET (f->page), "Open Preferences"));
      if (accounts[i] == bad_key_account)
        {
          g_assert_nonnull (button);
          g_assert_true (gtk_widget_get_mapped (button));
          g_assert_true (strstr (form_message (f), "API key") != NULL);
        }
    }
}

static void
test_idle_wipe (Fixture       *f,
                gconstpointer  data)
{
  if (skip_without_keyring ())
    return;

  pd_terminal_page_set_card_idle_timeout (f->page, 1);
  fill (f, "5.00", "MPGS", VISA_MPGS, far_expiry, CVV_3);
  g_assert_false (card_fields_empty (f));
  WAIT_FOR (card_fields_empty (f));
  g_assert_cmpstr (text_of (f, "E_xpiry"), ==, "");
  g_assert_cmpstr (text_of (f, "_Amount"), ==, "5.00");
  g_assert_nonnull (form_message (f));
}

/* Enter in the last field, the security code, charges. */
static void
test_enter_charges (Fixture       *f,
                    gconstpointer  data)
{
  if (skip_without_keyring ())
    return;

  fill (f, "5.00", "MPGS", VISA_MPGS, far_expiry, CVV_3);
  g_signal_emit_by_name (field (f, "E_xpiry"), "activate");
  g_assert_false (pd_terminal_page_get_busy (f->page));
  g_signal_emit_by_name (field (f, "Security _Code"), "activate");
  g_assert_true (pd_terminal_page_get_busy (f->page));
  WAIT_FOR (challenge_shown (f));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "terminal.cancel-challenge", NULL));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (receipt (f))));
}

/* main --------------------------------------------------------------------------- */

static gboolean
keyring_is_running (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  if (bus == NULL)
    return FALSE;
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);
  return has_owner;
}

static void
added_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Async *async = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (pd_account_store_add_finish (PD_ACCOUNT_STORE (source), result, &error));
  g_assert_no_error (error);
  async->done = TRUE;
}

static PdAccount *
add_account (const char *name,
             const char *base_url,
             const char *secret)
{
  static const char * const account_providers[] = { "cybersource", "mpgs", NULL };
  static const char * const currencies[] = { "USD", "EUR", "KES", NULL };
  g_autoptr(PdAccountSecrets) secrets = pd_account_secrets_new (PD_SANDBOX_PESOGATE_API_KEY, secret);
  PdAccount *account = pd_account_new (PD_GATEWAY_PESOGATE, name);
  Async async = { FALSE, NULL };

  pd_account_set_base_url (account, base_url);
  pd_account_set_providers (account, account_providers);
  pd_account_set_currencies (account, currencies);
  pd_account_set_sandbox (account, TRUE);
  pd_account_set_mode (account, PD_MODE_TEST);
  pd_account_set_rate_limit (account, 10000);
  pd_account_store_add_async (store, account, secrets, NULL, added_cb, &async);
  WAIT_FOR (async.done);
  return account;
}

static void
removed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Async *async = user_data;

  pd_account_store_remove_finish (PD_ACCOUNT_STORE (source), result, NULL);
  async->done = TRUE;
}

static void
remove_account (PdAccount **account)
{
  Async async = { FALSE, NULL };

  if (*account == NULL)
    return;
  pd_account_store_remove_async (store, *account, NULL, removed_cb, &async);
  WAIT_FOR (async.done);
  g_clear_object (account);
}

/* Answers every connection in plain text at once: what a TLS client makes of
 * a server that does not speak TLS. */
static gboolean
plain_incoming_cb (GSocketService    *service,
                   GSocketConnection *connection,
                   GObject           *source,
                   gpointer           user_data)
{
  static const char answer[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";

  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             answer, strlen (answer), NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static char *
start_plain_server (void)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  plain_server = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (plain_server), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  g_signal_connect (plain_server, "incoming", G_CALLBACK (plain_incoming_cb), NULL);
  return g_strdup_printf ("https://127.0.0.1:%u/api/v1",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
}

static void
set_up_accounts (void)
{
  g_autofree char *accounts_path = g_build_filename (tmp_root, "config", "accounts.ini", NULL);
  g_autofree char *ledger_path = g_build_filename (tmp_root, "data", "ledger.db", NULL);
  g_autofree char *missing_url = g_strconcat (pd_test_sandbox_origin (sandbox), "/nowhere/api/v1", NULL);
  g_autofree char *tls_url = NULL;
  g_autoptr(GError) error = NULL;

  ledger = pd_ledger_new_sync (ledger_path, NULL, &error);
  g_assert_no_error (error);
  if (!have_keyring)
    return;

  tls_url = start_plain_server ();
  store = pd_account_store_new (accounts_path);
  good_account = add_account ("PesoGate Sandbox", pd_test_sandbox_pesogate_url (sandbox),
                              PD_SANDBOX_PESOGATE_API_SECRET);
  bad_key_account = add_account ("Wrong Key", pd_test_sandbox_pesogate_url (sandbox), "sk_wrong");
  unreachable_account = add_account ("Nobody Home", "http://127.0.0.1:1/api/v1", PD_SANDBOX_PESOGATE_API_SECRET);
  missing_account = add_account ("Wrong Path", missing_url, PD_SANDBOX_PESOGATE_API_SECRET);
  tls_account = add_account ("Not TLS", tls_url, PD_SANDBOX_PESOGATE_API_SECRET);
}

static void
tear_down_accounts (void)
{
  if (store != NULL)
    {
      remove_account (&good_account);
      remove_account (&bad_key_account);
      remove_account (&unreachable_account);
      remove_account (&missing_account);
      remove_account (&tls_account);
      g_clear_object (&store);
    }
  if (plain_server != NULL)
    g_socket_service_stop (plain_server);
  g_clear_object (&plain_server);
  if (ledger != NULL)
    pd_ledger_close_sync (ledger, NULL, NULL);
  g_clear_object (&ledger);
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_remove (child);
        }
      g_dir_close (dir);
    }
  g_remove (path);
}

#define ADD_TEST(path, body) \
  g_test_add ((path), Fixture, NULL, fixture_set_up, (body), fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  static const char * const xdg_dirs[][2] = {
    { "XDG_CONFIG_HOME", "config" },
    { "XDG_DATA_HOME", "data" },
    { "XDG_CACHE_HOME", "cache" },
  };
  g_autoptr(GError) error = NULL;
  const char *test_home;
  int status;

  /* Before anything reads them: nothing may land in the real home. Inside
   * the test session's home, when there is one, everything is left for
   * test-no-card-data.sh to look through. */
  test_home = g_getenv ("PAYDESK_TEST_HOME");
  if (test_home != NULL && g_file_test (test_home, G_FILE_TEST_IS_DIR))
    {
      tmp_root = g_build_filename (test_home, "test-terminal-XXXXXX", NULL);
      g_assert_nonnull (g_mkdtemp (tmp_root));
    }
  else
    {
      test_home = NULL;
      tmp_root = g_dir_make_tmp ("paydesk-terminal-XXXXXX", &error);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (xdg_dirs); i++)
    {
      g_autofree char *dir = g_build_filename (tmp_root, xdg_dirs[i][1], NULL);

      g_setenv (xdg_dirs[i][0], dir, TRUE);
    }

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  paydesk_register_resource ();
  have_keyring = keyring_is_running ();
  far_expiry = expiry_in_years (10);

  sandbox = pd_test_sandbox_start (FALSE, 100000);
  set_up_accounts ();

  g_test_add_func ("/pd/terminal/card-entry", test_card_entry);
  g_test_add_func ("/pd/terminal/amount-and-currency", test_amount_and_currency);
  g_test_add_func ("/pd/terminal/metadata", test_metadata);
  ADD_TEST ("/pd/terminal/validation", test_validation);
  ADD_TEST ("/pd/terminal/mpgs-challenge", test_mpgs_challenge);
  ADD_TEST ("/pd/terminal/cybersource-redirect", test_cybersource_redirect);
  ADD_TEST ("/pd/terminal/declined-card", test_decline);
  ADD_TEST ("/pd/terminal/wrong-code", test_wrong_code);
  ADD_TEST ("/pd/terminal/page-cancel", test_page_cancel);
  ADD_TEST ("/pd/terminal/merchant-cancel-pending", test_merchant_cancel_pending);
  ADD_TEST ("/pd/terminal/rate-limited", test_rate_limited);
  ADD_TEST ("/pd/terminal/dropped-connection", test_dropped_connection);
  ADD_TEST ("/pd/terminal/faults", test_faults);
  ADD_TEST ("/pd/terminal/account-errors", test_account_errors);
  ADD_TEST ("/pd/terminal/idle-wipe", test_idle_wipe);
  ADD_TEST ("/pd/terminal/enter-charges", test_enter_charges);
  /* Last: it moves the sandbox's clock two years ahead. */
  ADD_TEST ("/pd/terminal/gateway-validation", test_gateway_validation);

  status = g_test_run ();

  tear_down_accounts ();
  pd_test_sandbox_stop (sandbox);
  if (test_home == NULL)
    remove_tree (tmp_root);
  g_free (tmp_root);
  g_free (far_expiry);
  return status;
}
