// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QObject>
#include <QPointer>

class QDockWidget;
class QMainWindow;

namespace mlastudio::ui {

class PlotView;

/**
 * Tracks which plot view the user works with: the view whose dock was most recently clicked,
 * focused or raised as a tab. Defaults to the first view; a closed dock falls back to the default.
 */
class ActiveViewTracker final : public QObject
{
    Q_OBJECT

public:
    /** Watches \p docks of \p window; each dock's widget should be one of \p views. */
    ActiveViewTracker(QMainWindow *window, const QList<QDockWidget *> &docks, const QList<PlotView *> &views);

    /** \return the active view (never null while there are views). */
    PlotView *activeView() const;
    /** Makes \p view the active one. */
    void setActiveView(PlotView *view);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    PlotView *viewOf(QObject *object) const;

    QMainWindow *m_window = nullptr;
    QList<QDockWidget *> m_docks;
    QList<PlotView *> m_views;
    QPointer<PlotView> m_active;
    bool m_trackRaise = false;  //!< raised tabs count only once the window has been shown
};

} // namespace mlastudio::ui
