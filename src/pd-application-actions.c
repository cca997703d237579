/* pd-application-actions.c: PdApplication's app actions */
#define G_LOG_DOMAIN "pd-application"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-application-private.h"
#include "pd-preferences-window.h"

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  PdApplication *self = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Closing, not quitting outright, lets each window save its size. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  PdApplication *self = user_data;

  if (self->preferences == NULL)
    {
      self->preferences = GTK_WINDOW (pd_preferences_window_new (self->account_store));
      g_object_add_weak_pointer (G_OBJECT (self->preferences), (gpointer *) &self->preferences);
      gtk_window_set_transient_for (self->preferences, GTK_WINDOW (pd_application_get_main_window (self)));
      gtk_application_add_window (GTK_APPLICATION (self), self->preferences);
    }
  gtk_window_present (self->preferences);
}

static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  PdApplication *self = user_data;
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_PATH "/pd-shortcuts-window.ui");
  GtkWindow *window = GTK_WINDOW (gtk_builder_get_object (builder, "shortcuts_window"));

  gtk_window_set_transient_for (window, gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_present (window);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  PdApplication *self = user_data;
  GtkWindow *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", _("Paydesk"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Paydesk developers"),
                        "copyright", _("© The Paydesk developers"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "website", "https://github.com/paydesk/paydesk",
                        "issue-url", "https://github.com/paydesk/paydesk/issues",
                        /* Translators: your name and address, one translator per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (about);
}

static void
explore_sandbox_action (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  pd_application_explore_sandbox (user_data);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "preferences", preferences_action },
  { "shortcuts", shortcuts_action },
  { "about", about_action },
  { "explore-sandbox", explore_sandbox_action },
};

void
pd_application_add_actions (PdApplication *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
}
