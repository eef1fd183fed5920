/** Whatever breaks in a view, the analyst sees a readable message and a way back, never a blank page. */
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  children: ReactNode;
  /** Smaller message in place of one panel instead of the whole page. */
  compact?: boolean;
  name?: string;
}

export class ErrorBoundary extends Component<Props, { error: Error | null }> {
  state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('View failed', error, info.componentStack);
  }

  render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    const retry = () => this.setState({ error: null });
    if (this.props.compact) {
      return (
        <div className="slot" role="alert">
          <div>
            {this.props.name ?? 'This view'} failed: {error.message}{' '}
            <button className="btn small" onClick={retry}>
              Retry
            </button>
          </div>
        </div>
      );
    }
    return (
      <div className="crash" role="alert">
        <h1>Loupe hit an error</h1>
        <p>The page stopped rendering because of a bug. Your files never left this machine.</p>
        <pre>{error.message}</pre>
        <button className="btn" onClick={retry}>
          Try again
        </button>{' '}
        <button className="btn" onClick={() => location.reload()}>
          Reload the page
        </button>
      </div>
    );
  }
}
