/** The paths and the uv environment the install planner gives for testConfig's work folder (/rt/build-standalone). */

export const LAYOUT = { root: '/rt/build-standalone/cache' }
export const VENV = '/rt/build-standalone/venv'
export const PY = '/rt/build-standalone/venv/bin/python'
export const HOST_PY = '/opt/hostedtoolcache/Python/3.11.9/x64/bin/python3'
export const UV = '/rt/build-standalone/cache/uv-0.13.9/bin/uv'
export const NO_LEAKS = { PYTHONPATH: undefined, PYTHONHOME: undefined, PYTHONNOUSERSITE: '1' }
/** Every uv command's variables, written out (UV_LINK_MODE and VIRTUAL_ENV removed, not inherited). */
export const UV_ENV = {
  ...NO_LEAKS,
  UV_CACHE_DIR: '/rt/build-standalone/cache/uv',
  UV_LINK_MODE: undefined,
  UV_PYTHON_DOWNLOADS: 'never',
  UV_NO_PROGRESS: '1',
  VIRTUAL_ENV: undefined
}
