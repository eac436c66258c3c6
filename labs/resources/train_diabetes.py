"""Train a logistic regression on the lab data set (a lab resource, copied into lab folders by set-up).

Usage: python train_diabetes.py [--reg-rate 0.01] [--data diabetes.csv]
Logs reg_rate, accuracy and auc (on a 30% test split, random_state=0) and saves outputs/diabetes_model.pkl.
"""

import argparse
import os

import joblib
import numpy as np
import pandas as pd
from azureml.core import Run
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

FEATURES = ["Pregnancies", "PlasmaGlucose", "DiastolicBloodPressure", "TricepsThickness", "SerumInsulin", "BMI",
            "DiabetesPedigree", "Age"]

parser = argparse.ArgumentParser()
parser.add_argument("--reg-rate", type=float, dest="reg_rate", default=0.01)
parser.add_argument("--data", default="diabetes.csv")
args = parser.parse_args()

run = Run.get_context()
df = pd.read_csv(args.data)
X, y = df[FEATURES].values, df["Diabetic"].values
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.30, random_state=0)

run.log("reg_rate", args.reg_rate)
model = LogisticRegression(C=1 / args.reg_rate, solver="liblinear").fit(X_train, y_train)
run.log("accuracy", float(np.average(model.predict(X_test) == y_test)))
run.log("auc", float(roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])))

os.makedirs("outputs", exist_ok=True)
joblib.dump(model, "outputs/diabetes_model.pkl")
run.complete()
