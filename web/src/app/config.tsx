/** Public settings from GET /api/v1/console/config (city name, time zone, optional basemap), read once on start. */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, type ResponseOf } from './api.ts';
import { setCityTimeZone } from './i18n.ts';

export type ConsoleConfig = ResponseOf<'/api/v1/console/config', 'get'>;

const DEFAULT: ConsoleConfig = { cityName: 'CityOps', timeZone: 'Asia/Shanghai', basemapUrl: null, version: '' };
const ConfigContext = createContext<ConsoleConfig>(DEFAULT);

export function ConfigProvider({ children }: { children: ReactNode }) {
  const [config, setConfig] = useState<ConsoleConfig>(DEFAULT);
  useEffect(() => {
    // A failure keeps the defaults: the console still works, only the city name is generic.
    api.GET('/api/v1/console/config').then((c) => { setCityTimeZone(c.timeZone); setConfig(c); }, () => {});
  }, []);
  return <ConfigContext.Provider value={config}>{children}</ConfigContext.Provider>;
}

export const useConsoleConfig = (): ConsoleConfig => useContext(ConfigContext);
