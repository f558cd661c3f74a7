"""Web API (FastAPI + uvicorn)."""
