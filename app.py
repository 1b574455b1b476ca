"""Deepfake Lab: `streamlit run app.py`."""

import streamlit as st

from ui.shell import pages, shell, sidebar

st.set_page_config(page_title="Deepfake Lab · 深度伪造实验室", page_icon="🎭", layout="wide")
sidebar()
with shell():
    st.navigation(pages()).run()
