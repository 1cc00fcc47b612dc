// SPDX-License-Identifier: MIT
#pragma once

#include "autosave.h"

#include <QMainWindow>
#include <QMessageBox>
#include <QPointer>
#include <QStringList>

#include <functional>

class QAction;
class QActionGroup;
class QDockWidget;
class QLabel;
class QMenu;

namespace mlastudio::ui {

class ActiveViewTracker;
class ControlPanel;
class ExportDialog;
class HeadlineLabel;
class PlotView;
class PresentationWindow;
class Scenario;

/**
 * The main window: a dock per view (object name = the view id, so saveState() restores the
 * arrangement), the control panel on the left, menus for files, undo, views and theme, and a
 * status-bar headline with the fastest visible scheme.
 */
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    /** Asked before unsaved changes would be lost: Save, Discard or Cancel. */
    using ConfirmDiscard = std::function<QMessageBox::StandardButton()>;
    /** Shows an error to the user (a QMessageBox::warning by default). */
    using WarningHandler = std::function<void(const QString &title, const QString &text)>;

    /** Creates a window on \p scenario (not owned; must outlive the window), or on its own if null. */
    explicit MainWindow(Scenario *scenario = nullptr, QWidget *parent = nullptr);
    ~MainWindow() override;

    Scenario *scenario() const { return m_scenario; }
    ControlPanel *controlPanel() const { return m_panel; }
    /** The File menu, so other features (e.g. export, Ctrl+E) can add their actions. */
    QMenu *fileMenu() const { return m_fileMenu; }
    QMenu *viewMenu() const { return m_viewMenu; }
    /** The Quit action (insert new File actions before it). */
    QAction *quitAction() const { return m_quitAction; }
    QAction *undoAction() const { return m_undoAction; }
    QAction *redoAction() const { return m_redoAction; }
    /** Every plot view, in creation order. */
    const QList<PlotView *> &plotViews() const { return m_plotViews; }
    /** The docks that hold the views, in creation order. */
    const QList<QDockWidget *> &viewDocks() const { return m_viewDocks; }
    /** The status-bar headline (plain text). */
    QString headline() const;
    /** The plot view the user works with: the one whose dock was most recently clicked, focused
     *  or raised (roofline at first). File → Export and Copy Figure act on it. */
    PlotView *activeView() const;
    /** Opens the export dialog (window-modal, deleted on close) on the active view, with a figure
     *  format, or CSV/JSON when \p data. \return the dialog. */
    ExportDialog *openExportDialog(bool data = false);
    /** Copies the active view to the clipboard with the last export options. \return error or empty. */
    QString copyFigure();

    /** Enters or leaves presentation mode (View → Presentation, F11): a full-screen window on the
     *  active view in the slides theme (see PresentationWindow). Leaving closes it; this window's
     *  docks, geometry and theme were never touched. */
    void setPresentation(bool on);
    bool isPresenting() const;
    /** The presentation window while presenting, else nullptr. */
    PresentationWindow *presentation() const;
    /** Loads the deck file \p path (kBuiltinDeckPath for "MLA in six steps") and presents its
     *  first step. \return the error (also shown through the warning handler) or empty. */
    QString presentDeck(const QString &path);
    /** Writes the deck file \p deckPath as a handout PDF at \p pdfPath (slide size, slides
     *  theme). \return the error (also shown) or empty. */
    QString exportDeck(const QString &deckPath, const QString &pdfPath);
    /** View → Lock Axes: every plot view keeps its axis ranges while values change. */
    void setAxesLocked(bool locked);

    /** Replaces the unsaved-changes prompt (tests return a fixed answer). */
    void setConfirmDiscard(ConfirmDiscard confirm) { m_confirmDiscard = std::move(confirm); }
    /** Replaces the error dialog (tests record the message instead of blocking). */
    void setWarningHandler(WarningHandler handler) { m_warn = std::move(handler); }
    /** Replaces the crash-recovery prompt, Restore (true) or Discard (tests return a fixed answer). */
    void setConfirmRestore(Autosave::RestorePrompt prompt) { m_confirmRestore = std::move(prompt); }

    /**
     * Starts crash recovery: offers, one by one, each autosave whose window is gone (see
     * Autosave::claimStale(), in \p directory, default Autosave::defaultDirectory()), then autosaves
     * this window's document while it is modified. The first restored scenario goes into this
     * window, each further one into a new window. Called from main() rather than the constructor
     * so tests and headless tools that build windows neither prompt nor write.
     * \return the number of scenarios restored.
     */
    int startAutosave(const QString &directory = {});
    /** The crash-recovery writer, or nullptr before startAutosave(). */
    Autosave *autosave() const { return m_autosave; }
    /**
     * Opens \p path in a new window (deleted when closed) that autosaves like this one, e.g. a file
     * named on the command line while this window holds a restored scenario. If a window already
     * shows that file (restored with unsaved changes), that window is raised instead and says so.
     * \return the window, or nullptr if the file cannot be opened (the error is shown here).
     */
    MainWindow *openInNewWindow(const QString &path);

    /** Opens a scenario after asking about unsaved changes. \return true if it was loaded. */
    bool openFile(const QString &path);
    /** Saves to \p path. \return true on success. On failure the error (naming the path and the
     *  cause) is shown through the warning handler, the file is unchanged and the document stays modified. */
    bool saveFile(const QString &path);
    /** Imports measured points from a CSV file. \return true on success. */
    bool importMeasuredFile(const QString &path);
    /** \return true if it is fine to discard the document (saved, discarded, or unmodified). */
    bool maybeSave();

    /** "light" or "dark": swaps the application palette (Fusion) and restyles the views. */
    void setTheme(const QString &theme);
    QString theme() const { return m_theme; }
    /** \return the most recent scenario files, newest first (at most 8). */
    QStringList recentFiles() const;

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void createViews();
    void createActions();
    void createMenus();
    void newFile();
    void openDialog();
    bool save();
    bool saveAs();
    void importMeasuredDialog();
    void about();
    void updateTitle();
    void updateHeadline();
    void updateRecentMenu();
    void addRecentFile(const QString &path);
    void readSettings();
    /** Keeps the window within the screen's available geometry (restored or default size). */
    void fitToScreen();
    void writeSettings() const;
    QString dialogDirectory() const;
    void warn(const QString &title, const QString &text);
    MainWindow *createSiblingWindow();
    void createAutosave();
    void exportDeckDialog(const QString &deckPath);

    Scenario *m_scenario = nullptr;
    ControlPanel *m_panel = nullptr;
    QList<PlotView *> m_plotViews;
    QList<QDockWidget *> m_viewDocks;
    QDockWidget *m_controlsDock = nullptr;
    QDockWidget *m_historyDock = nullptr;
    HeadlineLabel *m_headline = nullptr;
    QLabel *m_summary = nullptr;
    QMenu *m_fileMenu = nullptr;
    QMenu *m_editMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_recentMenu = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_undoAction = nullptr;
    QAction *m_redoAction = nullptr;
    QAction *m_clearReferenceAction = nullptr;
    QAction *m_clearMeasuredAction = nullptr;
    QActionGroup *m_themeGroup = nullptr;
    QAction *m_presentAction = nullptr;
    QAction *m_lockAxesAction = nullptr;
    PresentationWindow *m_presentation = nullptr;
    QByteArray m_presentationState;  //!< the dock arrangement before presentation mode
    QPointer<PlotView> m_presentedFrom;  //!< the active view before presentation mode
    bool m_fitted = false;  //!< fitted to the screen at the first show
    ActiveViewTracker *m_activeViews = nullptr;
    QString m_theme = QStringLiteral("light");
    ConfirmDiscard m_confirmDiscard;
    Autosave::RestorePrompt m_confirmRestore;
    Autosave *m_autosave = nullptr;
    WarningHandler m_warn;
    std::function<void()> m_defaultSizes;  //!< the default dock layout's sizes
};

} // namespace mlastudio::ui
