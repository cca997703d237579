/* pd-settings.h: the app's GSettings, as properties views can bind */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PD_SETTINGS_SCHEMA_ID "io.github.paydesk.Paydesk"

#define PD_TYPE_SETTINGS (pd_settings_get_type ())

G_DECLARE_FINAL_TYPE (PdSettings, pd_settings, PD, SETTINGS, GObject)

PdSettings *pd_settings_new                   (GSettings  *settings);
GSettings  *pd_settings_get_settings          (PdSettings *self);

int         pd_settings_get_window_width      (PdSettings *self);
void        pd_settings_set_window_width      (PdSettings *self,
                                               int         width);
int         pd_settings_get_window_height     (PdSettings *self);
void        pd_settings_set_window_height     (PdSettings *self,
                                               int         height);
gboolean    pd_settings_get_window_maximized  (PdSettings *self);
void        pd_settings_set_window_maximized  (PdSettings *self,
                                               gboolean    maximized);
const char *pd_settings_get_last_account      (PdSettings *self);
void        pd_settings_set_last_account      (PdSettings *self,
                                               const char *account_id);
guint       pd_settings_get_refresh_interval  (PdSettings *self);
void        pd_settings_set_refresh_interval  (PdSettings *self,
                                               guint       seconds);
guint       pd_settings_get_card_idle_timeout (PdSettings *self);
void        pd_settings_set_card_idle_timeout (PdSettings *self,
                                               guint       seconds);

G_END_DECLS
