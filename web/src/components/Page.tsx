/** A page's title row (h1 + optional actions) and body. */
import type { ReactNode } from 'react';

export function Page({ title, actions, children, className }: { title: ReactNode; actions?: ReactNode; children?: ReactNode; className?: string }) {
  return (
    <section className={`page${className ? ` ${className}` : ''}`}>
      <div className="page-head">
        <h1>{title}</h1>
        {actions && <div className="page-actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}
