/* pd-transactions-page.c: the Transactions page
 *
 * Both gateways: the ledger's transactions of the selected account, newest
 * first, a page of rows at a time (more as the list scrolls to its end),
 * narrowed by the ledger's text search and a status. Every read runs on
 * the ledger's thread; the page only ever waits for callbacks.
 *
 * Neither gateway can list transactions, so "Look Up" is how older ones
 * come in: a reference or id is asked of the gateway through the session,
 * recorded, and shown. The list follows the session's "transaction-changed"
 * (payments taken, background refreshes, lookups), a little later so a burst
 * of changes costs one query.
 *
 * Activating a row slides to its details; Escape comes back.
 */
#define G_LOG_DOMAIN "pd-transactions-page"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "pd-transaction-details.h"
#include "pd-transaction-row.h"
#include "pd-transactions-page.h"

#define PAGE_SIZE        50
#define RELOAD_DELAY_MS  150
#define SOURCE_LOOK_UP   "lookup"

struct _PdTransactionsPage
{
  GtkWidget             parent_instance;

  GtkStack             *stack;
  GtkSearchEntry       *search_entry;
  GtkDropDown          *status_filter;
  GtkToggleButton      *look_up_button;
  GtkRevealer          *look_up_revealer;
  GtkLabel             *look_up_hint;
  GtkEntry             *look_up_entry;
  GtkLabel             *look_up_error;
  GtkSpinner           *look_up_spinner;
  GtkWidget            *look_up_go;
  GtkLabel             *count_label;
  GtkStack             *list_stack;
  GtkListView          *list_view;
  GtkSpinner           *loading_spinner;
  GtkWidget            *load_more_button;
  PdTransactionDetails *details;

  PdAccountSession     *session;
  gulong                changed_id;
  GListStore           *transactions;
  gint64                count;
  /* Queries in flight: the rows and the count of a reload, or a further page. */
  guint                 pending;
  GCancellable         *query_cancellable;
  GCancellable         *look_up_cancellable;
  guint                 reload_source;
};

G_DEFINE_FINAL_TYPE (PdTransactionsPage, pd_transactions_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_COUNT,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The status filter's items, in the order of the .ui's list. */
enum {
  FILTER_ALL,
  FILTER_COMPLETED,
  FILTER_PENDING,
  FILTER_FAILED,
  FILTER_REFUNDED,
  FILTER_CANCELLED,
};

static PdLedger *
get_ledger (PdTransactionsPage *self)
{
  return self->session != NULL ? pd_account_session_get_ledger (self->session) : NULL;
}

static gboolean
is_filtered (PdTransactionsPage *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));

  return gtk_drop_down_get_selected (self->status_filter) != FILTER_ALL || *g_strstrip (text) != '\0';
}

static PdLedgerFilter *
build_filter (PdTransactionsPage *self)
{
  PdAccount *account = pd_account_session_get_account (self->session);
  PdLedgerFilter *filter = pd_ledger_filter_new (pd_account_get_id (account));

  pd_ledger_filter_set_text (filter, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  pd_ledger_filter_set_sort (filter, PD_LEDGER_SORT_CREATED_AT, TRUE);
  switch (gtk_drop_down_get_selected (self->status_filter))
    {
    case FILTER_COMPLETED:
      pd_ledger_filter_add_status (filter, PD_STATUS_COMPLETED);
      break;
    case FILTER_PENDING:
      /* Everything still on its way, as the yellow pills show. */
      pd_ledger_filter_add_status (filter, PD_STATUS_INITIALIZED);
      pd_ledger_filter_add_status (filter, PD_STATUS_PENDING);
      pd_ledger_filter_add_status (filter, PD_STATUS_AUTHORIZED);
      break;
    case FILTER_FAILED:
      pd_ledger_filter_add_status (filter, PD_STATUS_FAILED);
      break;
    case FILTER_REFUNDED:
      pd_ledger_filter_add_status (filter, PD_STATUS_REFUNDED);
      break;
    case FILTER_CANCELLED:
      pd_ledger_filter_add_status (filter, PD_STATUS_CANCELLED);
      break;
    case FILTER_ALL:
    default:
      break;
    }
  return filter;
}

static gboolean
has_more (PdTransactionsPage *self)
{
  return self->count > g_list_model_get_n_items (G_LIST_MODEL (self->transactions));
}

static void
update_view (PdTransactionsPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->transactions));
  const char *current = gtk_stack_get_visible_child_name (self->stack);
  const char *list_page;

  if (self->session == NULL)
    gtk_stack_set_visible_child_name (self->stack, "closed");
  else if (get_ledger (self) == NULL)
    gtk_stack_set_visible_child_name (self->stack, "no-ledger");
  else if (g_strcmp0 (current, "details") != 0)
    gtk_stack_set_visible_child_name (self->stack, "list");

  if (n > 0)
    list_page = "rows";
  else if (self->pending > 0 && self->count < 0)
    list_page = "loading";
  else if (is_filtered (self))
    list_page = "no-results";
  else
    list_page = "empty";
  gtk_stack_set_visible_child_name (self->list_stack, list_page);
  gtk_spinner_set_spinning (self->loading_spinner, g_str_equal (list_page, "loading"));

  if (self->count >= 0)
    {
      /* Grouped as the locale groups digits. */
      g_autofree char *number = g_strdup_printf ("%'" G_GINT64_FORMAT, self->count);
      g_autofree char *text = NULL;

      /* Translators: %s is how many transactions match the search and status, such as "1,204" */
      text = g_strdup_printf (ngettext ("%s transaction", "%s transactions", (gulong) self->count), number);
      gtk_label_set_label (self->count_label, text);
    }
  else
    gtk_label_set_label (self->count_label, "");

  gtk_widget_set_visible (self->load_more_button, n > 0 && has_more (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transactions.load-more", has_more (self) && self->pending == 0);
}

static void
set_pending (PdTransactionsPage *self,
             guint               pending)
{
  gboolean was_loading = self->pending > 0;

  self->pending = pending;
  update_view (self);
  if (was_loading != (pending > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Queries ------------------------------------------------------------------------- */

/* Puts a query's rows in place of those shown, or after them. */
static void
take_rows (PdTransactionsPage *self,
           GObject            *ledger,
           GAsyncResult       *result,
           gboolean            replace)
{
  g_autoptr(GListModel) rows = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  guint shown;
  guint n;

  rows = pd_ledger_query_finish (PD_LEDGER (ledger), result, &error);
  /* Cancelled: the page may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  shown = g_list_model_get_n_items (G_LIST_MODEL (self->transactions));

  if (rows == NULL)
    g_debug ("The transactions could not be read: %s", error->message);
  else
    {
      n = g_list_model_get_n_items (rows);
      items = g_ptr_array_new_full (n, g_object_unref);
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (items, g_list_model_get_item (rows, i));
      g_list_store_splice (self->transactions, replace ? 0 : shown, replace ? shown : 0, items->pdata, items->len);
    }
  set_pending (self, self->pending - 1);
}

static void
rows_replaced_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  take_rows (user_data, source, result, TRUE);
}

static void
rows_added_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  take_rows (user_data, source, result, FALSE);
}

static void
count_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  PdTransactionsPage *self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 count;

  count = pd_ledger_count_finish (PD_LEDGER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (count < 0)
    g_debug ("The transactions could not be counted: %s", error->message);
  self->count = count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNT]);
  set_pending (self, self->pending - 1);
}

/* Reads the rows again; with @keep_loaded as many as are shown, so the list does not jump. */
static void
reload (PdTransactionsPage *self,
        gboolean            keep_loaded)
{
  g_autoptr(PdLedgerFilter) filter = NULL;
  PdLedger *ledger = get_ledger (self);
  guint limit = PAGE_SIZE;

  g_clear_handle_id (&self->reload_source, g_source_remove);
  g_cancellable_cancel (self->query_cancellable);
  g_clear_object (&self->query_cancellable);

  if (ledger == NULL)
    {
      g_list_store_remove_all (self->transactions);
      self->count = -1;
      set_pending (self, 0);
      return;
    }

  /* All read before: new rows come in too. Else the list keeps its length; the rest is one "Load More" away. */
  if (keep_loaded)
    limit = MAX (limit, g_list_model_get_n_items (G_LIST_MODEL (self->transactions)) +
                        (has_more (self) ? 0 : PAGE_SIZE));
  else
    self->count = -1;

  self->query_cancellable = g_cancellable_new ();
  filter = build_filter (self);
  pd_ledger_query_async (ledger, filter, 0, limit, self->query_cancellable, rows_replaced_cb, self);
  pd_ledger_count_async (ledger, filter, self->query_cancellable, count_loaded_cb, self);
  set_pending (self, 2);
}

static gboolean
reload_timeout_cb (gpointer user_data)
{
  PdTransactionsPage *self = user_data;

  self->reload_source = 0;
  reload (self, TRUE);
  return G_SOURCE_REMOVE;
}

static void
load_more (PdTransactionsPage *self)
{
  g_autoptr(PdLedgerFilter) filter = NULL;
  PdLedger *ledger = get_ledger (self);

  if (ledger == NULL || self->pending > 0 || !has_more (self))
    return;

  filter = build_filter (self);
  pd_ledger_query_async (ledger, filter, g_list_model_get_n_items (G_LIST_MODEL (self->transactions)), PAGE_SIZE,
                         self->query_cancellable, rows_added_cb, self);
  set_pending (self, 1);
}

static void
transaction_changed_cb (PdTransactionsPage *self,
                        PdTransaction      *transaction)
{
  if (self->reload_source == 0)
    self->reload_source = g_timeout_add (RELOAD_DELAY_MS, reload_timeout_cb, self);
}

/* Details ---------------------------------------------------------------------------- */

static void
show_details (PdTransactionsPage *self,
              PdTransaction      *transaction)
{
  pd_transaction_details_set_transaction (self->details, transaction);
  gtk_stack_set_visible_child_name (self->stack, "details");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transactions.back", TRUE);
  /* Keyboard users land in the details, on their Back button. */
  gtk_widget_grab_focus (GTK_WIDGET (self->details));
}

static void
show_list (PdTransactionsPage *self)
{
  gboolean was_details = g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "details") == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transactions.back", FALSE);
  if (!was_details)
    return;
  gtk_stack_set_visible_child_name (self->stack, "list");
  update_view (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

static void
row_activated_cb (PdTransactionsPage *self,
                  guint               position)
{
  g_autoptr(PdTransaction) transaction = g_list_model_get_item (G_LIST_MODEL (self->transactions), position);

  if (transaction != NULL)
    show_details (self, transaction);
}

/* Look up ------------------------------------------------------------------------------ */

static void
set_looking_up (PdTransactionsPage *self,
                gboolean            looking_up)
{
  gtk_spinner_set_spinning (self->look_up_spinner, looking_up);
  gtk_widget_set_sensitive (self->look_up_go, !looking_up);
  /* Not insensitive: the entry keeps the focus, and the person's place. */
  gtk_editable_set_editable (GTK_EDITABLE (self->look_up_entry), !looking_up);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transactions.look-up", !looking_up && self->session != NULL);
}

static void
show_look_up_error (PdTransactionsPage *self,
                    const char         *message)
{
  gtk_label_set_label (self->look_up_error, message);
  gtk_widget_set_visible (GTK_WIDGET (self->look_up_error), TRUE);
}

static void
looked_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  PdTransactionsPage *self = user_data;
  g_autoptr(PdTransaction) transaction = NULL;
  g_autoptr(GError) error = NULL;

  transaction = pd_account_session_look_up_finish (PD_ACCOUNT_SESSION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->look_up_cancellable);
  set_looking_up (self, FALSE);
  if (transaction == NULL)
    {
      show_look_up_error (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->look_up_entry));
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->look_up_entry), "");
  gtk_revealer_set_reveal_child (self->look_up_revealer, FALSE);
  show_details (self, transaction);
}

static void
look_up_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PdTransactionsPage *self = PD_TRANSACTIONS_PAGE (widget);
  g_autofree char *reference = g_strstrip (g_variant_dup_string (parameter, NULL));

  if (self->session == NULL || self->look_up_cancellable != NULL)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->look_up_error), FALSE);
  if (*reference == '\0')
    {
      show_look_up_error (self, pd_account_get_gateway (pd_account_session_get_account (self->session)) == PD_GATEWAY_PESOGATE
                                ? _("Type the transaction’s reference first.")
                                : _("Type the transaction’s ID first."));
      return;
    }

  self->look_up_cancellable = g_cancellable_new ();
  set_looking_up (self, TRUE);
  pd_account_session_look_up_async (self->session, reference, PD_HTTP_FLAGS_NONE, SOURCE_LOOK_UP,
                                    self->look_up_cancellable, looked_up_cb, self);
}

static void
look_up_activated_cb (PdTransactionsPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "transactions.look-up", "s",
                              gtk_editable_get_text (GTK_EDITABLE (self->look_up_entry)));
}

/* The last error stays beside what was typed until the text changes. */
static void
look_up_changed_cb (PdTransactionsPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->look_up_error), FALSE);
}

/* Opened by its button or Ctrl+L: the typing goes straight into it. */
static void
look_up_revealed_cb (PdTransactionsPage *self)
{
  if (gtk_revealer_get_reveal_child (self->look_up_revealer))
    gtk_widget_grab_focus (GTK_WIDGET (self->look_up_entry));
}

static void
show_look_up_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PdTransactionsPage *self = PD_TRANSACTIONS_PAGE (widget);

  if (self->session == NULL || get_ledger (self) == NULL)
    return;
  show_list (self);
  gtk_revealer_set_reveal_child (self->look_up_revealer, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->look_up_entry));
}

static void
hide_look_up_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PdTransactionsPage *self = PD_TRANSACTIONS_PAGE (widget);

  gtk_revealer_set_reveal_child (self->look_up_revealer, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->look_up_button));
}

/* The words of the gateway the account is at. */
static void
update_look_up_hint (PdTransactionsPage *self)
{
  gboolean pesogate = self->session != NULL &&
                      pd_account_get_gateway (pd_account_session_get_account (self->session)) == PD_GATEWAY_PESOGATE;
  const char *label = pesogate ? _("Reference") : _("Transaction ID");

  gtk_label_set_label (self->look_up_hint,
                       pesogate
                       ? _("Type a PesoGate transaction reference. Paydesk asks the gateway for it and keeps the answer here.")
                       : _("Type a PaysGator transaction ID. Paydesk asks the gateway for it and keeps the answer here."));
  gtk_entry_set_placeholder_text (self->look_up_entry, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->look_up_entry), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

/* Other actions and signals -------------------------------------------------------------- */

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PdTransactionsPage *self = PD_TRANSACTIONS_PAGE (widget);

  show_list (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  show_list (PD_TRANSACTIONS_PAGE (widget));
}

static void
load_more_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  load_more (PD_TRANSACTIONS_PAGE (widget));
}

static void
search_changed_cb (PdTransactionsPage *self)
{
  reload (self, FALSE);
}

static void
status_filter_changed_cb (PdTransactionsPage *self)
{
  reload (self, FALSE);
}

static void
edge_reached_cb (PdTransactionsPage *self,
                 GtkPositionType     position)
{
  if (position == GTK_POS_BOTTOM)
    load_more (self);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  gtk_list_item_set_child (item, pd_transaction_row_new ());
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  pd_transaction_row_set_transaction (PD_TRANSACTION_ROW (gtk_list_item_get_child (item)),
                                      gtk_list_item_get_item (item));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  pd_transaction_row_set_transaction (PD_TRANSACTION_ROW (gtk_list_item_get_child (item)), NULL);
}

/* GObject --------------------------------------------------------------------------------- */

static void
cancel_all (PdTransactionsPage *self)
{
  g_clear_handle_id (&self->reload_source, g_source_remove);
  g_cancellable_cancel (self->query_cancellable);
  g_clear_object (&self->query_cancellable);
  g_cancellable_cancel (self->look_up_cancellable);
  g_clear_object (&self->look_up_cancellable);
}

static void
pd_transactions_page_dispose (GObject *object)
{
  PdTransactionsPage *self = PD_TRANSACTIONS_PAGE (object);

  cancel_all (self);
  if (self->session != NULL)
    g_clear_signal_handler (&self->changed_id, self->session);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_TRANSACTIONS_PAGE);
  g_clear_object (&self->transactions);

  G_OBJECT_CLASS (pd_transactions_page_parent_class)->dispose (object);
}

static void
pd_transactions_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  PdTransactionsPage *self = PD_TRANSACTIONS_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_COUNT:
      g_value_set_int64 (value, self->count);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->pending > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_transactions_page_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  PdTransactionsPage *self = PD_TRANSACTIONS_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      pd_transactions_page_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_transactions_page_class_init (PdTransactionsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_transactions_page_dispose;
  object_class->get_property = pd_transactions_page_get_property;
  object_class->set_property = pd_transactions_page_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         PD_TYPE_ACCOUNT_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* How many transactions match the search and status; -1 until counted. */
  properties[PROP_COUNT] =
    g_param_spec_int64 ("count", NULL, NULL,
                        -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PD_TYPE_TRANSACTION_DETAILS);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/paydesk/Paydesk/pd-transactions-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PdTransactionsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, PdTransactionsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PdTransactionsPage, status_filter);
  gtk_widget_class_bind_template_child (widget_class, PdTransactionsPage, look_up_button);
  gtk_widget_class_bind_template_child (widget_class, PdTransactionsPage, look_up_revealer);
  gtk_widget_class_bind_template_child (widget_class, PdTransactionsPage, look_up_hint);
  gtk_widget_class_bind_template_child (widget_class, PdTransactionsPage, look_up_entry);
  gtk_widget_class_bind_template_child (widget_class, PdTransactionsPage, look_up_error);
  gtk_widget_class_bind_template_child (widget_class, PdTransactionsPage, look_up_spinner);
  gtk_widget_class_bind_template_child (widget_class, PdTransactionsPage, look_up_go);
  gtk_widget_class_bind_template_child (widget_class, PdTransactionsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, PdTransactionsPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, PdTransactionsPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, PdTransactionsPage, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, PdTransactionsPage, load_more_button);
  gtk_widget_class_bind_template_child (widget_class, PdTransactionsPage, details);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, status_filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, look_up_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, look_up_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, look_up_revealed_cb);
  gtk_widget_class_bind_template_callback (widget_class, edge_reached_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "transactions.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "transactions.show-look-up", NULL, show_look_up_action);
  gtk_widget_class_install_action (widget_class, "transactions.hide-look-up", NULL, hide_look_up_action);
  gtk_widget_class_install_action (widget_class, "transactions.look-up", "s", look_up_action);
  gtk_widget_class_install_action (widget_class, "transactions.load-more", NULL, load_more_action);
  gtk_widget_class_install_action (widget_class, "transactions.back", NULL, back_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "transactions.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "transactions.back", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

/* The pills' colours and the rows' spacing, once per display. */
static void
ensure_style (GtkWidget *widget)
{
  static GdkDisplay *styled;
  GdkDisplay *display = gtk_widget_get_display (widget);
  g_autoptr(GtkCssProvider) provider = NULL;

  if (display == NULL || display == styled)
    return;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/paydesk/Paydesk/pd-transactions.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  styled = display;
}

static void
pd_transactions_page_init (PdTransactionsPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkSelectionModel) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  ensure_style (GTK_WIDGET (self));

  self->count = -1;
  self->transactions = g_list_store_new (PD_TYPE_TRANSACTION);
  selection = GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->transactions))));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, selection);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transactions.back", FALSE);
  set_looking_up (self, FALSE);
  update_look_up_hint (self);
  update_view (self);
}

GtkWidget *
pd_transactions_page_new (void)
{
  return g_object_new (PD_TYPE_TRANSACTIONS_PAGE, NULL);
}

/**
 * pd_transactions_page_get_session:
 * @self: a page
 *
 * Returns: (transfer none) (nullable): the open account whose transactions are listed
 */
PdAccountSession *
pd_transactions_page_get_session (PdTransactionsPage *self)
{
  g_return_val_if_fail (PD_IS_TRANSACTIONS_PAGE (self), NULL);

  return self->session;
}

/**
 * pd_transactions_page_set_session:
 * @self: a page
 * @session: (nullable): the open account to list, or %NULL while none is
 *
 * Starts over on the new account: its first page of transactions, the
 * search and status kept.
 */
void
pd_transactions_page_set_session (PdTransactionsPage *self,
                                  PdAccountSession   *session)
{
  g_return_if_fail (PD_IS_TRANSACTIONS_PAGE (self));
  g_return_if_fail (session == NULL || PD_IS_ACCOUNT_SESSION (session));

  if (self->session == session)
    return;

  cancel_all (self);
  if (self->session != NULL)
    g_clear_signal_handler (&self->changed_id, self->session);
  g_set_object (&self->session, session);
  if (session != NULL)
    self->changed_id = g_signal_connect_object (session, "transaction-changed",
                                                G_CALLBACK (transaction_changed_cb), self,
                                                G_CONNECT_SWAPPED);

  pd_transaction_details_set_session (self->details, session);
  gtk_revealer_set_reveal_child (self->look_up_revealer, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->look_up_entry), "");
  show_list (self);
  g_list_store_remove_all (self->transactions);
  set_looking_up (self, FALSE);
  update_look_up_hint (self);
  reload (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

/**
 * pd_transactions_page_get_transactions:
 * @self: a page
 *
 * Returns: (transfer none): the PdTransaction rows read so far, in the list's order
 */
GListModel *
pd_transactions_page_get_transactions (PdTransactionsPage *self)
{
  g_return_val_if_fail (PD_IS_TRANSACTIONS_PAGE (self), NULL);

  return G_LIST_MODEL (self->transactions);
}

/**
 * pd_transactions_page_get_count:
 * @self: a page
 *
 * Returns: how many transactions match the search and status, or -1 until counted
 */
gint64
pd_transactions_page_get_count (PdTransactionsPage *self)
{
  g_return_val_if_fail (PD_IS_TRANSACTIONS_PAGE (self), -1);

  return self->count;
}

/**
 * pd_transactions_page_get_loading:
 * @self: a page
 *
 * Returns: whether a query is in flight
 */
gboolean
pd_transactions_page_get_loading (PdTransactionsPage *self)
{
  g_return_val_if_fail (PD_IS_TRANSACTIONS_PAGE (self), FALSE);

  return self->pending > 0;
}
