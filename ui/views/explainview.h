// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QTimer>
#include <QWidget>

class QComboBox;
class QTextBrowser;

namespace mlastudio::ui {

class Scenario;

/**
 * Explains one operator (or the whole step) of one scheme: the cost formulas with the current
 * numbers substituted, the three roof times, the bound and why, and the on-chip notes.
 */
class ExplainView : public QWidget
{
    Q_OBJECT

public:
    explicit ExplainView(Scenario *scenario, QWidget *parent = nullptr);
    ~ExplainView() override;

    QString viewId() const { return QStringLiteral("explain"); }
    QString title() const { return tr("Explain"); }
    QTextBrowser *browser() const { return m_browser; }
    /** \return the current HTML. */
    QString html() const;

public Q_SLOTS:
    void refresh();

    /** Refreshes now, or within kRefreshMs when shown in a window (coalescing slider drags). */
    void scheduleRefresh();

public:
    static constexpr int kRefreshMs = 80;

protected:
    void showEvent(QShowEvent *event) override;

private:
    void fillCombos();
    void onComboChanged();

    Scenario *m_scenario = nullptr;
    QComboBox *m_schemeCombo = nullptr;
    QComboBox *m_operatorCombo = nullptr;
    QTextBrowser *m_browser = nullptr;
    bool m_updating = false;
    bool m_dirty = false;  //!< results changed while hidden
    QTimer m_refreshTimer;
};

} // namespace mlastudio::ui
