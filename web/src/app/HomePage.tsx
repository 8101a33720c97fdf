/** `/`: sends each user to their natural start page (START_PAGES in routes.tsx). */
import { useEffect } from 'react';
import { useAuth } from './auth.tsx';
import { navigate } from './router.tsx';
import { startPageFor } from './access.ts';
import { Loading } from '../components/States.tsx';

export function HomePage() {
  const auth = useAuth();
  const target = auth.user ? startPageFor(auth.user.roles, auth.can) : '/login';
  useEffect(() => { navigate(target, { replace: true }); }, [target]);
  return <Loading />;
}
