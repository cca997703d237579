/* pd-card-entry.c: a card number field: grouped as typed, brand shown, secure memory
 *
 * The digits live in a GtkPasswordEntryBuffer (non-pageable memory, wiped
 * when freed) and are shown grouped the way the card prints them: 4-4-4-4,
 * or 4-6-5 for American Express. Anything but digits is dropped as it is
 * typed or pasted; every copy the widget makes is on the stack and wiped.
 */
#define G_LOG_DOMAIN "pd-card-entry"

#include "config.h"

#include <string.h>

#include "pd-card-entry.h"

struct _PdCardEntry
{
  GtkWidget    parent_instance;

  GtkText     *text;
  GtkLabel    *brand_label;

  PdCardBrand  brand;
};

static void pd_card_entry_editable_init (GtkEditableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PdCardEntry, pd_card_entry, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_EDITABLE, pd_card_entry_editable_init))

enum {
  PROP_0,
  PROP_BRAND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_ACTIVATE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Enter in the field, as GtkEntry says it. */
static void
text_activate_cb (PdCardEntry *self)
{
  g_signal_emit (self, signals[SIGNAL_ACTIVATE], 0);
}

static void insert_text_cb (PdCardEntry *self,
                            const char  *text,
                            int          length,
                            int         *position,
                            GtkEditable *editable);
static void delete_text_cb (PdCardEntry *self,
                            int          start_pos,
                            int          end_pos,
                            GtkEditable *editable);

/* The longest number @brand can have. */
static guint
max_digits (PdCardBrand brand)
{
  for (guint length = PD_CARD_MAX_DIGITS; brand != PD_CARD_BRAND_UNKNOWN && length > 0; length--)
    if (pd_card_brand_accepts_length (brand, length))
      return length;
  return PD_CARD_MAX_DIGITS;
}

static void
set_brand (PdCardEntry *self,
           PdCardBrand  brand)
{
  if (self->brand == brand)
    return;

  self->brand = brand;
  gtk_label_set_label (self->brand_label, brand != PD_CARD_BRAND_UNKNOWN ? pd_card_brand_get_label (brand) : "");
  gtk_widget_set_visible (GTK_WIDGET (self->brand_label), brand != PD_CARD_BRAND_UNKNOWN);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BRAND]);
}

/* Shows @digits grouped, with the cursor after the @cursor_digits-th digit. */
static void
show_digits (PdCardEntry *self,
             char         digits[PD_CARD_DIGITS_SIZE],
             guint        cursor_digits)
{
  GtkEditable *editable = GTK_EDITABLE (self->text);
  char grouped[PD_CARD_GROUPED_SIZE];
  guint length;
  guint position = 0;
  guint seen = 0;

  set_brand (self, pd_card_detect_brand (digits));
  length = MIN (strlen (digits), max_digits (self->brand));
  digits[length] = '\0';
  cursor_digits = MIN (cursor_digits, length);

  pd_card_format_grouped (digits, grouped);
  while (seen < cursor_digits && grouped[position] != '\0')
    if (g_ascii_isdigit (grouped[position++]))
      seen++;

  g_signal_handlers_block_by_func (editable, insert_text_cb, self);
  g_signal_handlers_block_by_func (editable, delete_text_cb, self);
  gtk_editable_set_text (editable, grouped);
  gtk_editable_set_position (editable, (int) position);
  g_signal_handlers_unblock_by_func (editable, delete_text_cb, self);
  g_signal_handlers_unblock_by_func (editable, insert_text_cb, self);

  pd_card_wipe (grouped, sizeof grouped);
}

/* Appends the digits of @text (@length bytes, or to its NUL when -1) to
 * @digits, which holds *@n_digits; returns how many were appended. */
static guint
append_digits (char        digits[PD_CARD_DIGITS_SIZE],
               guint      *n_digits,
               const char *text,
               gssize      length)
{
  guint appended = 0;

  for (gssize i = 0; (length < 0 || i < length) && text[i] != '\0'; i++)
    if (g_ascii_isdigit (text[i]) && *n_digits < PD_CARD_MAX_DIGITS)
      {
        digits[(*n_digits)++] = text[i];
        appended++;
      }
  digits[*n_digits] = '\0';
  return appended;
}

/* The byte offset of character @position in @text. */
static gsize
byte_offset (const char *text,
             int         position)
{
  glong length = g_utf8_strlen (text, -1);

  if (position < 0 || position > length)
    position = (int) length;
  return (gsize) (g_utf8_offset_to_pointer (text, position) - text);
}

static void
insert_text_cb (PdCardEntry *self,
                const char  *text,
                int          length,
                int         *position,
                GtkEditable *editable)
{
  const char *current = gtk_editable_get_text (editable);
  gsize split = byte_offset (current, *position);
  char digits[PD_CARD_DIGITS_SIZE] = { 0 };
  guint n_digits = 0;
  guint cursor;

  g_signal_stop_emission_by_name (editable, "insert-text");

  append_digits (digits, &n_digits, current, (gssize) split);
  append_digits (digits, &n_digits, text, length);
  cursor = n_digits;
  append_digits (digits, &n_digits, current + split, -1);

  show_digits (self, digits, cursor);
  *position = gtk_editable_get_position (editable);
  pd_card_wipe (digits, sizeof digits);
}

static void
delete_text_cb (PdCardEntry *self,
                int          start_pos,
                int          end_pos,
                GtkEditable *editable)
{
  const char *current = gtk_editable_get_text (editable);
  gsize start, end;
  char digits[PD_CARD_DIGITS_SIZE] = { 0 };
  guint n_digits = 0;
  guint cursor;

  g_signal_stop_emission_by_name (editable, "delete-text");

  if (end_pos < 0)
    end_pos = (int) g_utf8_strlen (current, -1);
  start = byte_offset (current, start_pos);
  end = byte_offset (current, end_pos);

  /* Deleting only the space between groups deletes the digit beyond it,
   * or the group separator would come straight back. */
  if (end == start + 1 && current[start] == ' ')
    {
      if (gtk_editable_get_position (editable) <= start_pos)
        end++;
      else if (start > 0)
        start--;
    }

  append_digits (digits, &n_digits, current, (gssize) start);
  cursor = n_digits;
  append_digits (digits, &n_digits, current + MIN (end, strlen (current)), -1);

  show_digits (self, digits, cursor);
  pd_card_wipe (digits, sizeof digits);
}

static GtkEditable *
pd_card_entry_get_delegate (GtkEditable *editable)
{
  return GTK_EDITABLE (PD_CARD_ENTRY (editable)->text);
}

static void
pd_card_entry_editable_init (GtkEditableInterface *iface)
{
  iface->get_delegate = pd_card_entry_get_delegate;
}

static gboolean
pd_card_entry_grab_focus (GtkWidget *widget)
{
  PdCardEntry *self = PD_CARD_ENTRY (widget);

  return gtk_text_grab_focus_without_selecting (self->text);
}

static gboolean
pd_card_entry_mnemonic_activate (GtkWidget *widget,
                                 gboolean   group_cycling)
{
  return pd_card_entry_grab_focus (widget);
}

static void
pd_card_entry_dispose (GObject *object)
{
  PdCardEntry *self = PD_CARD_ENTRY (object);

  if (self->text != NULL)
    gtk_editable_finish_delegate (GTK_EDITABLE (self));
  gtk_widget_dispose_template (GTK_WIDGET (object), PD_TYPE_CARD_ENTRY);
  self->text = NULL;

  G_OBJECT_CLASS (pd_card_entry_parent_class)->dispose (object);
}

static void
pd_card_entry_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PdCardEntry *self = PD_CARD_ENTRY (object);

  if (gtk_editable_delegate_get_property (object, prop_id, value, pspec))
    return;

  switch (prop_id)
    {
    case PROP_BRAND:
      g_value_set_enum (value, self->brand);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_card_entry_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  if (gtk_editable_delegate_set_property (object, prop_id, value, pspec))
    return;

  G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
pd_card_entry_class_init (PdCardEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_card_entry_dispose;
  object_class->get_property = pd_card_entry_get_property;
  object_class->set_property = pd_card_entry_set_property;

  widget_class->grab_focus = pd_card_entry_grab_focus;
  widget_class->mnemonic_activate = pd_card_entry_mnemonic_activate;

  properties[PROP_BRAND] =
    g_param_spec_enum ("brand", NULL, NULL,
                       PD_TYPE_CARD_BRAND, PD_CARD_BRAND_UNKNOWN,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  /* GtkEditable's properties come after ours. */
  gtk_editable_install_properties (object_class, N_PROPS);

  signals[SIGNAL_ACTIVATE] =
    g_signal_new ("activate",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/paydesk/Paydesk/pd-card-entry.ui");
  gtk_widget_class_bind_template_child (widget_class, PdCardEntry, text);
  gtk_widget_class_bind_template_child (widget_class, PdCardEntry, brand_label);
  gtk_widget_class_bind_template_callback (widget_class, insert_text_cb);
  gtk_widget_class_bind_template_callback (widget_class, text_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, delete_text_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  /* Drawn like any entry. */
  gtk_widget_class_set_css_name (widget_class, "entry");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_TEXT_BOX);
}

static void
pd_card_entry_init (PdCardEntry *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_editable_init_delegate (GTK_EDITABLE (self));
}

GtkWidget *
pd_card_entry_new (void)
{
  return g_object_new (PD_TYPE_CARD_ENTRY, NULL);
}

PdCardBrand
pd_card_entry_get_brand (PdCardEntry *self)
{
  g_return_val_if_fail (PD_IS_CARD_ENTRY (self), PD_CARD_BRAND_UNKNOWN);

  return self->brand;
}

gboolean
pd_card_entry_get_digits (PdCardEntry *self,
                          char         digits[PD_CARD_DIGITS_SIZE])
{
  guint n_digits = 0;

  g_return_val_if_fail (PD_IS_CARD_ENTRY (self), FALSE);
  g_return_val_if_fail (digits != NULL, FALSE);

  digits[0] = '\0';
  append_digits (digits, &n_digits, gtk_editable_get_text (GTK_EDITABLE (self->text)), -1);
  return n_digits > 0;
}

void
pd_card_entry_wipe (PdCardEntry *self)
{
  g_return_if_fail (PD_IS_CARD_ENTRY (self));

  g_signal_handlers_block_by_func (self->text, delete_text_cb, self);
  gtk_editable_delete_text (GTK_EDITABLE (self->text), 0, -1);
  g_signal_handlers_unblock_by_func (self->text, delete_text_cb, self);
  set_brand (self, PD_CARD_BRAND_UNKNOWN);
}
