// SPDX-License-Identifier: MIT
#pragma once

#include "views/plotexporter.h"
#include "views/viewfactory.h"

#include <QDialog>
#include <QImage>
#include <QList>
#include <QPointer>

#include <functional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTimer;

namespace mlastudio::ui {

class PlotView;

/**
 * File → Export figure…: exports one plot view as PDF, SVG or PNG, or the data behind it as CSV
 * or JSON. A live preview shows the figure at the chosen size and theme, rendered by
 * PlotExporter::renderImage(), so it has the pixels a PNG export writes. The last directory and
 * options are remembered in QSettings (export/dir, export/format, export/size, export/dpi,
 * export/theme); "Copy figure" in the main window reuses them through savedOptions().
 */
class ExportDialog final : public QDialog
{
    Q_OBJECT

public:
    /** Shows an error to the user (QMessageBox::warning by default). */
    using WarningHandler = std::function<void(const QString &title, const QString &text)>;

    /** A dialog over \p views (not owned) with \p current preselected (the first view if null).
     *  Format, size, resolution and theme start from the remembered options. */
    explicit ExportDialog(const QList<PlotView *> &views, PlotView *current, QWidget *parent = nullptr);
    ~ExportDialog() override;

    /** \return the selected view. */
    PlotView *currentView() const;
    /** Selects the view with this id. \return false if the dialog has no such view. */
    bool setCurrentView(ViewId viewId);
    /** \return the chosen format: a figure (PDF, SVG, PNG) or data (CSV, JSON). */
    ExportFormat format() const;
    /** Selects a format. */
    void setFormat(ExportFormat format);
    /** \return true if the format writes data (CSV or JSON) rather than a figure. */
    bool isDataFormat() const;
    /** \return the figure options of the current widget choices (format set for figure formats). */
    ExportOptions options() const;
    /** Sets the size, resolution and theme widgets from \p options (the format stays). */
    void setOptions(const ExportOptions &options);

    /** \return the current preview at full resolution (null while inputs are invalid). */
    QImage previewImage() const { return m_preview; }
    /** \return the size text under the preview, e.g. "1050 × 780 px · 3.50 × 2.60 in · 300 dpi". */
    QString sizeText() const;
    /** Renders the preview now instead of after the short delay that follows each change. */
    void updatePreview();

    /**
     * Exports with the current choices to \p path (the format's suffix is appended when \p path
     * lacks it) and remembers the directory and options. \return the exporter's error, or empty.
     */
    QString exportTo(const QString &path);
    /** \return the path exportTo() writes for \p path (with the format's suffix). */
    QString targetPath(const QString &path) const;
    /** Copies the figure to the clipboard as an image (and as SVG). \return error message or empty. */
    QString copyToClipboard();

    /** Replaces the error dialog (tests record the message instead of blocking). */
    void setWarningHandler(WarningHandler handler) { m_warn = std::move(handler); }

    /** \return the options remembered from the last export or copy (defaults: single column,
     *  300 dpi, paper). */
    static ExportOptions savedOptions();
    /** Stores \p options as the remembered figure options. */
    static void saveOptions(const ExportOptions &options);
    /** Puts \p view rendered with \p options on the clipboard: an image, plus image/svg+xml.
     *  \return error message or empty. */
    static QString copyFigure(PlotView *view, const ExportOptions &options);

protected:
    void done(int result) override;

private:
    void buildUi();
    void restoreSettings();
    void rememberSettings() const;
    void updateControls();
    SizePreset currentSizePreset() const;
    void schedulePreview();
    void showScaledPreview();
    void exportDialog();
    void copyClicked();
    void unitChanged();
    void warn(const QString &title, const QString &text);
    bool eventFilter(QObject *watched, QEvent *event) override;

    QList<QPointer<PlotView>> m_views;
    QComboBox *m_viewCombo = nullptr;
    QComboBox *m_formatCombo = nullptr;
    QComboBox *m_sizeCombo = nullptr;
    QDoubleSpinBox *m_width = nullptr;
    QDoubleSpinBox *m_height = nullptr;
    QComboBox *m_unitCombo = nullptr;
    QSpinBox *m_dpi = nullptr;
    QComboBox *m_themeCombo = nullptr;
    QLabel *m_previewLabel = nullptr;
    QLabel *m_sizeLabel = nullptr;
    QPushButton *m_copyButton = nullptr;
    QPushButton *m_exportButton = nullptr;
    QTimer *m_previewTimer = nullptr;
    QImage m_preview;
    QString m_lastUnit;
    bool m_updating = false;
    WarningHandler m_warn;
};

} // namespace mlastudio::ui
