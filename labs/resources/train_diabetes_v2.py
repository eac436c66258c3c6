"""Train a logistic regression on the lab data set, as an SDK v2 command job runs it (a lab resource).

Usage: python train.py [--reg-rate 0.01] [--data diabetes.csv]
Prints the regularization rate, accuracy and AUC (on a 30% test split, random_state=0) and saves
outputs/model.pkl. It imports pandas and scikit-learn, so its environment must provide them.
"""

import argparse
import os
import pickle

import pandas as pd  # the first package: an environment without pandas fails here, naming it
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

FEATURES = ["Pregnancies", "PlasmaGlucose", "DiastolicBloodPressure", "TricepsThickness", "SerumInsulin", "BMI",
            "DiabetesPedigree", "Age"]

parser = argparse.ArgumentParser()
parser.add_argument("--reg-rate", type=float, dest="reg_rate", default=0.01)
parser.add_argument("--data", default="diabetes.csv")
args = parser.parse_args()

print("Loading data from", args.data)
df = pd.read_csv(args.data)
X, y = df[FEATURES].values, df["Diabetic"].values
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.30, random_state=0)

print("Training a logistic regression with regularization rate", args.reg_rate)
model = LogisticRegression(C=1 / args.reg_rate, solver="liblinear").fit(X_train, y_train)
print("Accuracy:", float((model.predict(X_test) == y_test).mean()))
print("AUC:", float(roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])))

os.makedirs("outputs", exist_ok=True)
with open("outputs/model.pkl", "wb") as fh:
    pickle.dump(model, fh)
